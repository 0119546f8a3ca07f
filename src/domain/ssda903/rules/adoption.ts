/**
 * The DfE's rules on the AD1, PlacedAdoption and PrevPerm tables (decision 0042), with the
 * Header and Episodes they compare with. An adoption placement is an episode with PLACE A3 to
 * A6; an adoption is an episode ended with REC E11 or E12; the latest period of care starts
 * with the child's latest episode with RNE S. Rule 633 checks LA_PERM is a three-digit code:
 * the DfE's list of councils' codes is not held, so a well-formed code not in use passes.
 */
import { codesOf } from "../../code-list.ts";
import {
  adopterLegalStatusCodes,
  adopterSexCodes,
  placedCeasedReasons,
  previousPermanenceCodes,
} from "../../permanence.ts";
import type { Row, Ssda903Return, TableName } from "../model.ts";
import {
  cell,
  codeRule,
  dateOf,
  dateRule,
  eachRow,
  episodesByChild,
  headerByChild,
  rowRule,
  type Check,
  type IndexedRow,
  type RuleContext,
  childrenFilling,
  filled,
} from "./engine.ts";
import { AD1_FIELDS, internal, OC3_FIELDS } from "./oc2.ts";

const ADOPTION_PLACEMENTS = ["A3", "A4", "A5", "A6"];
const COUPLE = ["MM", "FF", "MF"];

/** The first episode placing the child for adoption. */
const firstAdoptionPlacement = (episodes: readonly IndexedRow[] | undefined) =>
  episodes?.find(({ row }) => ADOPTION_PLACEMENTS.includes(cell(row, "PLACE")))?.row;

/** The child's adoption in the year: an episode ended E11 or E12 by 31 March. */
const adoptionEpisode = (episodes: readonly IndexedRow[] | undefined, ctx: RuleContext) =>
  episodes?.find(({ row }) => {
    const dec = dateOf(row, "DEC");
    return (
      ["E11", "E12"].includes(cell(row, "REC")) &&
      dec !== undefined &&
      dec >= ctx.start &&
      dec <= ctx.end
    );
  });

/** The start of the latest period of care: the latest episode with RNE S. */
const periodStart = (episodes: readonly IndexedRow[] | undefined) =>
  dateOf(episodes?.filter(({ row }) => cell(row, "RNE") === "S").at(-1)?.row, "DECOM");

/** A rule on each row of `table` with the child's episodes (sorted by DECOM). */
function withEpisodes(
  table: TableName,
  field: string,
  fails: (row: Row, episodes: readonly IndexedRow[] | undefined, ctx: RuleContext) => boolean,
): Check {
  return (ret, ctx, fail) => {
    const episodes = episodesByChild(ret);
    eachRow(ret, table, (row, i) => {
      if (fails(row, episodes.get(cell(row, "CHILD")), ctx))
        fail(table, i, field, cell(row, field));
    });
  };
}

/** Rows of a table by child, in file order. */
function rowsByChild(ret: Ssda903Return, table: TableName): Map<string, Row[]> {
  const map = new Map<string, Row[]>();
  for (const row of ret[table] ?? []) {
    const child = cell(row, "CHILD");
    map.set(child, [...(map.get(child) ?? []), row]);
  }
  return map;
}

const sexFor = (status: string, allowed: string[]) =>
  rowRule(
    "AD1",
    "SEX_ADOPTR",
    (row) =>
      cell(row, "LS_ADOPTR") === status &&
      filled(row, "SEX_ADOPTR") &&
      !allowed.includes(cell(row, "SEX_ADOPTR")),
  );

/** The child's decisions in date order (rows without a valid DATE_PLACED last). */
function decisionsInOrder(rows: readonly Row[]): Row[] {
  return [...rows].sort((a, b) =>
    (dateOf(a, "DATE_PLACED") ?? "9999").localeCompare(dateOf(b, "DATE_PLACED") ?? "9999"),
  );
}

/** A rule on each decision after a child's first, with the decision before it. */
function laterDecisions(fails: (row: Row, previous: Row) => boolean): Check {
  return (ret, _ctx, fail) => {
    const rows = ret.PlacedAdoption ?? [];
    for (const list of rowsByChild(ret, "PlacedAdoption").values()) {
      decisionsInOrder(list).forEach((row, i, sorted) => {
        const previous = sorted[i - 1];
        if (previous && fails(row, previous))
          fail("PlacedAdoption", rows.indexOf(row), "DATE_PLACED", cell(row, "DATE_PLACED"));
      });
    }
  };
}

/** An episode under a placement (E1) or freeing (D1) order, with no decision to place. */
function orderWithoutDecision(status: string): Check {
  return (ret, _ctx, fail) => {
    const decisions = rowsByChild(ret, "PlacedAdoption");
    const named = new Set<string>();
    eachRow(ret, "Episodes", (row, i) => {
      const child = cell(row, "CHILD");
      if (cell(row, "LS") !== status || named.has(child)) return;
      if (!(decisions.get(child) ?? []).some((d) => filled(d, "DATE_PLACED"))) {
        named.add(child);
        fail("Episodes", i, "LS", status);
      }
    });
  };
}

/** The decision to place made after the order (E1 or D1) was granted: the first such episode. */
function decisionAfterOrder(status: string): Check {
  return withEpisodes("PlacedAdoption", "DATE_PLACED", (row, episodes) => {
    const order = dateOf(episodes?.find(({ row: e }) => cell(e, "LS") === status)?.row, "DECOM");
    const decided = dateOf(row, "DATE_PLACED");
    return (
      order !== undefined &&
      decided !== undefined &&
      decided > order &&
      !filled(row, "DATE_PLACED_CEASED")
    );
  });
}

/** DATE_PERM as a date: zz for an unknown day or month reads as the first. */
function datePerm(row: Row): string | undefined | null {
  const text = cell(row, "DATE_PERM");
  if (text === "") return null;
  const m = /^(\d{2}|zz)\/(\d{2}|zz)\/(\d{4})$/i.exec(text);
  if (!m || (m[1]?.toLowerCase() !== "zz" && m[2]?.toLowerCase() === "zz")) return undefined;
  const [day, month] = [m[1], m[2]].map((p) => (p?.toLowerCase() === "zz" ? "01" : p));
  return dateOf({ D: `${day ?? ""}/${month ?? ""}/${m[3] ?? ""}` }, "D");
}

export const adoptionChecks: Record<string, Check> = {
  "112": dateRule("AD1", "DATE_INT", true),
  "113": dateRule("AD1", "DATE_MATCH", true),
  "114": codeRule("AD1", "FOSTER_CARE", ["0", "1"], true),
  "175": codeRule("AD1", "NB_ADOPTR", ["1", "2"], true),
  "176": codeRule("AD1", "SEX_ADOPTR", codesOf(adopterSexCodes), true),
  "177": codeRule("AD1", "LS_ADOPTR", codesOf(adopterLegalStatusCodes), true),
  "151": rowRule("AD1", "DATE_INT", (row) => {
    const count = AD1_FIELDS.filter((f) => filled(row, f)).length;
    return count > 0 && count < AD1_FIELDS.length;
  }),
  "331": withEpisodes("AD1", "DATE_MATCH", (row, episodes) => {
    const placed = dateOf(firstAdoptionPlacement(episodes), "DECOM");
    const match = dateOf(row, "DATE_MATCH");
    return placed !== undefined && match !== undefined && match > placed;
  }),
  "333": rowRule("AD1", "DATE_INT", (row) => {
    const [int, match] = [dateOf(row, "DATE_INT"), dateOf(row, "DATE_MATCH")];
    return int !== undefined && match !== undefined && int > match;
  }),
  "334": withEpisodes("AD1", "DATE_INT", (row, episodes) => {
    const [int, start] = [dateOf(row, "DATE_INT"), periodStart(episodes)];
    return int !== undefined && start !== undefined && int < start;
  }),
  "335": withEpisodes("AD1", "FOSTER_CARE", (row, episodes) => {
    const place = cell(episodes?.at(-1)?.row, "PLACE");
    const foster = cell(row, "FOSTER_CARE");
    return (
      (foster === "0" && ["A2", "A3", "A5"].includes(place)) ||
      (foster === "1" && ["A1", "A4", "A6"].includes(place))
    );
  }),
  "511": rowRule(
    "AD1",
    "SEX_ADOPTR",
    (row) =>
      cell(row, "NB_ADOPTR") === "2" &&
      filled(row, "SEX_ADOPTR") &&
      !COUPLE.includes(cell(row, "SEX_ADOPTR")),
  ),
  "514": rowRule(
    "AD1",
    "LS_ADOPTR",
    (row) => cell(row, "LS_ADOPTR") === "L0" && COUPLE.includes(cell(row, "SEX_ADOPTR")),
  ),
  "517": sexFor("L3", ["MF"]),
  "518": sexFor("L4", ["MM", "FF"]),
  "519": sexFor("L2", COUPLE),
  "520": sexFor("L11", ["MF"]),
  "524": sexFor("L12", ["MM", "FF"]),
  "521": withEpisodes("AD1", "DATE_INT", (row, episodes) => {
    const placed = dateOf(firstAdoptionPlacement(episodes), "DECOM");
    const int = dateOf(row, "DATE_INT");
    return placed !== undefined && int !== undefined && int > placed;
  }),
  "582": withEpisodes("AD1", "DATE_MATCH", (row, episodes, ctx) => {
    const adopted = dateOf(adoptionEpisode(episodes, ctx)?.row, "DEC");
    return adopted !== undefined && dateOf(row, "DATE_MATCH") === adopted;
  }),
  "601": (ret, ctx, fail) => {
    const ad1 = rowsByChild(ret, "AD1");
    for (const [child, episodes] of episodesByChild(ret)) {
      const adopted = adoptionEpisode(episodes, ctx);
      const row = ad1.get(child)?.[0];
      if (adopted && (!row || AD1_FIELDS.some((f) => !filled(row, f)))) {
        fail("Episodes", adopted.index, "REC", cell(adopted.row, "REC"));
      }
    }
  },
  "602": withEpisodes(
    "AD1",
    "CHILD",
    (_row, episodes, ctx) => adoptionEpisode(episodes, ctx) === undefined,
  ),
  "134": (ret, _ctx, fail) => {
    const adopted = childrenFilling(ret, "AD1", AD1_FIELDS);
    eachRow(ret, "OC3", (row, i) => {
      if (adopted.has(cell(row, "CHILD")) && OC3_FIELDS.some((f) => filled(row, f)))
        fail("OC3", i, "IN_TOUCH", cell(row, "IN_TOUCH"));
    });
  },
  INT01: internal("AD1", "header"),
  INT11: internal("AD1", "dob"),
  INT31: internal("AD1", "once"),

  "115": dateRule("PlacedAdoption", "DATE_PLACED", true),
  "116": dateRule("PlacedAdoption", "DATE_PLACED_CEASED", true),
  "117": withEpisodes("PlacedAdoption", "DATE_PLACED", (row, episodes, ctx) => {
    const last = episodes?.at(-1)?.row;
    const left =
      cell(last, "REC") !== "" && cell(last, "REC") !== "X1" ? dateOf(last, "DEC") : undefined;
    return ["DATE_PLACED", "DATE_PLACED_CEASED"].some((f) => {
      const date = dateOf(row, f);
      return date !== undefined && (date > ctx.end || (left !== undefined && date > left));
    });
  }),
  "118": withEpisodes("PlacedAdoption", "DATE_PLACED_CEASED", (row, episodes, ctx) => {
    const ceased = dateOf(row, "DATE_PLACED_CEASED");
    const first = dateOf(episodes?.[0]?.row, "DECOM");
    return ceased !== undefined && (ceased < ctx.start || (first !== undefined && ceased < first));
  }),
  "119": rowRule(
    "PlacedAdoption",
    "REASON_PLACED_CEASED",
    (row) => filled(row, "DATE_PLACED_CEASED") !== filled(row, "REASON_PLACED_CEASED"),
  ),
  "120": codeRule("PlacedAdoption", "REASON_PLACED_CEASED", codesOf(placedCeasedReasons), true),
  "184": (ret, _ctx, fail) => {
    const headers = headerByChild(ret);
    eachRow(ret, "PlacedAdoption", (row, i) => {
      const [placed, dob] = [
        dateOf(row, "DATE_PLACED"),
        dateOf(headers.get(cell(row, "CHILD")), "DOB"),
      ];
      if (placed !== undefined && dob !== undefined && placed < dob)
        fail("PlacedAdoption", i, "DATE_PLACED", cell(row, "DATE_PLACED"));
    });
  },
  "522": rowRule("PlacedAdoption", "DATE_PLACED", (row) => {
    const [placed, ceased] = [dateOf(row, "DATE_PLACED"), dateOf(row, "DATE_PLACED_CEASED")];
    return placed !== undefined && ceased !== undefined && placed > ceased;
  }),
  "523": (ret, _ctx, fail) => {
    const decisions = rowsByChild(ret, "PlacedAdoption");
    eachRow(ret, "AD1", (row, i) => {
      const list = decisions.get(cell(row, "CHILD"));
      if (
        list &&
        filled(row, "DATE_INT") &&
        !list.some((d) => cell(d, "DATE_PLACED") === cell(row, "DATE_INT"))
      ) {
        fail("AD1", i, "DATE_INT", cell(row, "DATE_INT"));
      }
    });
  },
  "525": (ret, _ctx, fail) => {
    const decisions = rowsByChild(ret, "PlacedAdoption");
    eachRow(ret, "AD1", (row, i) => {
      const latest = decisionsInOrder(decisions.get(cell(row, "CHILD")) ?? []).at(-1);
      if (
        latest &&
        filled(latest, "DATE_PLACED_CEASED") &&
        AD1_FIELDS.some((f) => filled(row, f))
      ) {
        fail("AD1", i, "DATE_INT", cell(row, "DATE_INT"));
      }
    });
  },
  "551": (ret, _ctx, fail) => {
    const decisions = rowsByChild(ret, "PlacedAdoption");
    eachRow(ret, "Episodes", (row, i) => {
      const placed = ADOPTION_PLACEMENTS.includes(cell(row, "PLACE"));
      if (
        placed &&
        !(decisions.get(cell(row, "CHILD")) ?? []).some((d) => filled(d, "DATE_PLACED"))
      ) {
        fail("Episodes", i, "PLACE", cell(row, "PLACE"));
      }
    });
  },
  "552": withEpisodes("PlacedAdoption", "DATE_PLACED", (row, episodes) => {
    const [placed, decided] = [
      dateOf(firstAdoptionPlacement(episodes), "DECOM"),
      dateOf(row, "DATE_PLACED"),
    ];
    return (
      placed !== undefined &&
      decided !== undefined &&
      decided > placed &&
      !filled(row, "DATE_PLACED_CEASED")
    );
  }),
  "563": rowRule(
    "PlacedAdoption",
    "DATE_PLACED",
    (row) =>
      !filled(row, "DATE_PLACED") &&
      (filled(row, "DATE_PLACED_CEASED") || filled(row, "REASON_PLACED_CEASED")),
  ),
  "579": laterDecisions((row, previous) => {
    const [start, ended] = [dateOf(row, "DATE_PLACED"), dateOf(previous, "DATE_PLACED_CEASED")];
    return ended === undefined || (start !== undefined && start < ended);
  }),
  "583": laterDecisions((_row, previous) => !filled(previous, "DATE_PLACED_CEASED")),
  "1003": withEpisodes("PlacedAdoption", "DATE_PLACED", (row, episodes) => {
    const [decided, start] = [dateOf(row, "DATE_PLACED"), periodStart(episodes)];
    return (
      decided !== undefined &&
      start !== undefined &&
      decided < start &&
      !filled(row, "DATE_PLACED_CEASED")
    );
  }),
  "553": orderWithoutDecision("E1"),
  "554": decisionAfterOrder("E1"),
  "555": orderWithoutDecision("D1"),
  "556": decisionAfterOrder("D1"),
  "557": withEpisodes("PlacedAdoption", "DATE_PLACED_CEASED", (row, episodes) => {
    const last = episodes?.at(-1)?.row;
    const rec = cell(last, "REC");
    const leftNotAdopted = rec !== "" && rec !== "X1" && !["E11", "E12"].includes(rec);
    return leftNotAdopted && filled(row, "DATE_PLACED") && !filled(row, "DATE_PLACED_CEASED");
  }),
  "558": (ret, ctx, fail) => {
    const episodes = episodesByChild(ret);
    const rows = ret.PlacedAdoption ?? [];
    for (const [child, list] of rowsByChild(ret, "PlacedAdoption")) {
      const latest = decisionsInOrder(list).at(-1);
      if (
        latest &&
        adoptionEpisode(episodes.get(child), ctx) &&
        filled(latest, "DATE_PLACED_CEASED")
      ) {
        fail(
          "PlacedAdoption",
          rows.indexOf(latest),
          "DATE_PLACED_CEASED",
          cell(latest, "DATE_PLACED_CEASED"),
        );
      }
    }
  },
  INT02: internal("PlacedAdoption", "header"),
  INT12: internal("PlacedAdoption", "dob"),

  "630": (ret, ctx, fail) => {
    const prevPerm = rowsByChild(ret, "PrevPerm");
    eachRow(ret, "Episodes", (row, i) => {
      const decom = dateOf(row, "DECOM");
      const started =
        cell(row, "RNE") === "S" && decom !== undefined && decom >= ctx.start && decom <= ctx.end;
      if (started && !prevPerm.has(cell(row, "CHILD")))
        fail("Episodes", i, "RNE", cell(row, "RNE"));
    });
  },
  "631": codeRule("PrevPerm", "PREV_PERM", codesOf(previousPermanenceCodes), false),
  "632": withEpisodes("PrevPerm", "DATE_PERM", (row, episodes) => {
    const date = datePerm(row);
    if (date === null) return false;
    const start = periodStart(episodes);
    return date === undefined || (start !== undefined && date > start);
  }),
  "633": rowRule(
    "PrevPerm",
    "LA_PERM",
    (row) => filled(row, "LA_PERM") && !/^\d{3}$/.test(cell(row, "LA_PERM")),
  ),
  "634": withEpisodes("PrevPerm", "PREV_PERM", (row, episodes) => {
    const start = periodStart(episodes) ?? dateOf(episodes?.[0]?.row, "DECOM");
    const any = ["PREV_PERM", "LA_PERM", "DATE_PERM"].some((f) => filled(row, f));
    return any && start !== undefined && start < "2016-04-01";
  }),
  "635": rowRule(
    "PrevPerm",
    "PREV_PERM",
    (row) =>
      cell(row, "PREV_PERM") === "Z1" && (filled(row, "LA_PERM") || filled(row, "DATE_PERM")),
  ),
  INT07: internal("PrevPerm", "header"),
  INT16: internal("PrevPerm", "dob"),
};
