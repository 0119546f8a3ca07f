/**
 * Rules on the header, the child's identifiers and characteristics, including the
 * whole-return ones (duplicate ids, shares of children, disability codes used).
 */
import { isCode } from "../../code-lists.ts";
import { upnCheckLetter } from "../../identifiers.ts";
import {
  disabilities,
  ethnicities,
  sexes,
  yesNo,
  type CinChild,
  type CinCensus,
} from "../model.ts";
import {
  addYears,
  childPath,
  date,
  eachChild,
  inYear,
  present,
  type Check,
  type Fail,
} from "./engine.ts";

/**
 * Characters 2-4 of a UPN: the LA codes (post April 1998) and pseudo-LA codes the DfE's rule
 * 1530 accepts, as ranges.
 */
const upnLaCodes: readonly (readonly [number, number])[] = [
  [1, 5], [201, 213], [301, 320], [330, 336], [340, 344], [350, 359], [370, 373], [380, 384],
  [390, 394], [420, 420], [660, 681], [701, 708], [800, 803], [805, 808], [810, 813],
  [815, 816], [820, 823], [825, 826], [830, 831], [835, 841], [845, 846], [850, 852],
  [855, 857], [860, 861], [865, 896], [908, 909], [916, 916], [919, 919], [921, 921],
  [925, 926], [928, 929], [931, 931], [933, 933], [935, 938], [940, 941],
]; // prettier-ignore

export function isUpnLaCode(chars: string): boolean {
  if (!/^\d{3}$/.test(chars)) return false;
  const n = Number(chars);
  return upnLaCodes.some(([from, to]) => n >= from && n <= to);
}

const UPN_LAST = /^[0-9A-HJ-NP-RT-Z]$/;

/** Unborn: no date of birth, an expected one instead. */
export function isUnborn(child: CinChild): boolean {
  const ids = child.ChildIdentifiers;
  return !present(ids.PersonBirthDate) && present(ids.ExpectedPersonBirthDate);
}

function hasFurtherAction(child: CinChild): boolean {
  return child.CINdetails.some((e) => yesNo(e.ReferralNFA) === false);
}

/** Each child whose value of `key` another child shares: a whole-return check. */
function duplicates(census: CinCensus, fail: Fail, field: "UPN" | "LAchildID"): void {
  const seen = new Map<string, number>();
  for (const child of census.children) {
    const value = child.ChildIdentifiers[field];
    if (present(value)) seen.set(value, (seen.get(value) ?? 0) + 1);
  }
  census.children.forEach((child, ci) => {
    const value = child.ChildIdentifiers[field];
    if (present(value) && (seen.get(value) ?? 0) > 1) fail(child, field, value, childPath(ci));
  });
}

function upn(rule: (upn: string) => boolean): Check {
  return (census, _ctx, fail) => {
    eachChild(census, (child, ci) => {
      const value = child.ChildIdentifiers.UPN;
      if (present(value) && rule(value)) fail(child, "UPN", value, childPath(ci));
    });
  };
}

export const childChecks: Record<string, Check> = {
  "100": (census, ctx, fail) => {
    const value = census.header.ReferenceDate;
    if (value !== ctx.referenceDate) fail(null, "ReferenceDate", value, ["Header"]);
  },
  "1510": upn((value) => {
    const body = value.slice(1).toUpperCase();
    if (!/^\d{11}[0-9A-HJ-NP-RT-Z]$/.test(body)) return false; // 1540/1550 say what is wrong
    return upnCheckLetter(body) !== value.charAt(0).toUpperCase();
  }),
  "1520": (census, _ctx, fail) => {
    duplicates(census, fail, "UPN");
  },
  "1530": upn((value) => !isUpnLaCode(value.slice(1, 4))),
  "1540": upn((value) => !/^\d{8}$/.test(value.slice(4, 12))),
  "1550": upn((value) => !UPN_LAST.test(value.charAt(12).toUpperCase())),
  "1560Q": (census, _ctx, fail) => {
    eachChild(census, (child, ci) => {
      const value = child.ChildIdentifiers.FormerUPN;
      if (present(value) && !/^[A-Za-z]\d{11}[0-9A-HJ-NP-RT-Za-hj-np-rt-z]$/.test(value)) {
        fail(child, "FormerUPN", value, childPath(ci));
      }
    });
  },
  "1570": (census, _ctx, fail) => {
    eachChild(census, (child, ci) => {
      const value = child.ChildIdentifiers.LAchildID;
      if (present(value) && value.length > 20) fail(child, "LAchildID", value, childPath(ci));
    });
  },
  "1580": (census, _ctx, fail) => {
    eachChild(census, (child, ci) => {
      const value = child.ChildIdentifiers.LAchildID;
      if (present(value) && !/^[A-Za-z0-9]+$/.test(value)) {
        fail(child, "LAchildID", value, childPath(ci));
      }
    });
  },
  "4180": (census, _ctx, fail) => {
    eachChild(census, (child, ci) => {
      const value = child.ChildIdentifiers.Sex;
      if (!isCode(sexes, value)) fail(child, "Sex", value, childPath(ci));
    });
  },
  "4220": (census, _ctx, fail) => {
    eachChild(census, (child, ci) => {
      const value = child.ChildCharacteristics.Ethnicity;
      if (!isCode(ethnicities, value)) fail(child, "Ethnicity", value, childPath(ci));
    });
  },
  "8500": (census, _ctx, fail) => {
    eachChild(census, (child, ci) => {
      if (!present(child.ChildIdentifiers.LAchildID)) {
        fail(child, "LAchildID", child.ChildIdentifiers.LAchildID, childPath(ci));
      }
    });
  },
  "8510": (census, _ctx, fail) => {
    duplicates(census, fail, "LAchildID");
  },
  "8520": (census, ctx, fail) => {
    eachChild(census, (child, ci) => {
      const born = date(child.ChildIdentifiers.PersonBirthDate);
      if (born && born > ctx.referenceDate) fail(child, "PersonBirthDate", born, childPath(ci));
    });
  },
  "8525Q": (census, _ctx, fail) => {
    eachChild(census, (child, ci) => {
      const ids = child.ChildIdentifiers;
      if (present(ids.PersonBirthDate) === present(ids.ExpectedPersonBirthDate)) {
        fail(child, "PersonBirthDate", ids.PersonBirthDate, childPath(ci));
      }
    });
  },
  "8530Q": (census, ctx, fail) => {
    eachChild(census, (child, ci) => {
      const expected = date(child.ChildIdentifiers.ExpectedPersonBirthDate);
      const endYear = ctx.referenceDate.slice(0, 4);
      if (expected && (expected < `${endYear}-03-01` || expected > `${endYear}-12-31`)) {
        fail(child, "ExpectedPersonBirthDate", expected, childPath(ci));
      }
    });
  },
  "8535Q": (census, _ctx, fail) => {
    eachChild(census, (child, ci) => {
      const died = date(child.ChildIdentifiers.PersonDeathDate);
      const born = date(child.ChildIdentifiers.PersonBirthDate);
      if (died && born && died < born) fail(child, "PersonDeathDate", died, childPath(ci));
    });
  },
  "8540": (census, _ctx, fail) => {
    eachChild(census, (child, ci) => {
      const codes = child.ChildCharacteristics.Disabilities ?? [];
      const bad = codes.find((c) => !isCode(disabilities, c));
      if (bad !== undefined) fail(child, "Disability", bad, childPath(ci));
      else if (
        codes.length === 0 &&
        present(child.ChildIdentifiers.PersonBirthDate) &&
        hasFurtherAction(child)
      ) {
        fail(child, "Disability", undefined, childPath(ci));
      }
    });
  },
  "8545Q": (census, ctx, fail) => {
    eachChild(census, (child, ci) => {
      const died = date(child.ChildIdentifiers.PersonDeathDate);
      if (died && !inYear(died, ctx)) fail(child, "PersonDeathDate", died, childPath(ci));
    });
  },
  "8590": (census, _ctx, fail) => {
    eachChild(census, (child, ci) => {
      if (child.CINdetails.length === 0) {
        fail(child, "LAchildID", child.ChildIdentifiers.LAchildID, childPath(ci));
      }
    });
  },
  "8750": (census, _ctx, fail) => {
    eachChild(census, (child, ci) => {
      if (isUnborn(child) && child.ChildIdentifiers.Sex !== "U") {
        fail(child, "Sex", child.ChildIdentifiers.Sex, childPath(ci));
      }
    });
  },
  "8770Q": (census, ctx, fail) => {
    eachChild(census, (child, ci) => {
      const ids = child.ChildIdentifiers;
      const born = date(ids.PersonBirthDate);
      if (!born || born > addYears(ctx.referenceDate, -6) || !hasFurtherAction(child)) return;
      const reason = ids.UPNunknown?.toUpperCase();
      const explained = reason !== undefined && /^UN[2-7]$/.test(reason);
      if (!present(ids.UPN) && !explained) fail(child, "UPNunknown", ids.UPNunknown, childPath(ci));
    });
  },
  "8772": (census, _ctx, fail) => {
    eachChild(census, (child, ci) => {
      if (child.ChildIdentifiers.UPNunknown === "UN7" && hasFurtherAction(child)) {
        fail(child, "UPNunknown", "UN7", childPath(ci));
      }
    });
  },
  "8775Q": (census, ctx, fail) => {
    eachChild(census, (child, ci) => {
      const born = date(child.ChildIdentifiers.PersonBirthDate);
      if (!born) return;
      // Age at the end of the child's latest involvement this year: closure, else 31 March.
      const ends = child.CINdetails.map((e) => date(e.CINclosureDate) ?? ctx.referenceDate);
      const last = ends.reduce((a, b) => (a > b ? a : b), "");
      if (last !== "" && last >= addYears(born, 25)) {
        fail(child, "PersonBirthDate", born, childPath(ci));
      }
    });
  },
  "8790": (census, _ctx, fail) => {
    eachChild(census, (child, ci) => {
      const codes = child.ChildCharacteristics.Disabilities ?? [];
      if (codes.includes("NONE") && codes.some((c) => c !== "NONE")) {
        fail(child, "Disability", codes.join(" "), childPath(ci));
      }
    });
  },
  "8794": (census, _ctx, fail) => {
    eachChild(census, (child, ci) => {
      const codes = child.ChildCharacteristics.Disabilities ?? [];
      const repeated = codes.find((c, i) => codes.indexOf(c) !== i);
      if (repeated !== undefined) fail(child, "Disability", repeated, childPath(ci));
    });
  },

  // Whole-return queries: about the return as a whole, so no one child is named.
  "2886Q": (census, _ctx, fail) => {
    const born = census.children.filter((c) => !isUnborn(c));
    const unknown = born.filter(
      (c) => c.ChildIdentifiers.Sex !== "M" && c.ChildIdentifiers.Sex !== "F",
    );
    if (born.length > 0 && unknown.length / born.length > 0.02) {
      const share = ((unknown.length / born.length) * 100).toFixed(1);
      fail(null, "Sex", `${share}%`, ["Children"]);
    }
  },
  "2887Q": (census, _ctx, fail) => {
    const used = new Set<string>();
    for (const child of census.children) {
      for (const code of child.ChildCharacteristics.Disabilities ?? []) {
        if (code !== "NONE" && isCode(disabilities, code)) used.add(code);
      }
    }
    if (used.size < 8) fail(null, "Disability", String(used.size), ["Children"]);
  },
  "2888Q": (census, _ctx, fail) => {
    const withDisability = census.children
      .map((c) => (c.ChildCharacteristics.Disabilities ?? []).filter((d) => d !== "NONE"))
      .filter((codes) => codes.length > 0);
    if (withDisability.length > 0 && withDisability.every((codes) => codes.length === 1)) {
      fail(null, "Disability", String(withDisability.length), ["Children"]);
    }
  },
};
