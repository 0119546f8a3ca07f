/**
 * The DfE's rules on social worker episodes (SWEpisodes, 2023-24 onward): one row per social
 * worker a child looked after on 31 March had in the year, with the reason it changed. Where
 * the DfE's message is terse, the reading is the one its guidance gives: the table covers the
 * whole year (even while the child was not looked after), one worker at a time, each ended
 * episode with the reason for the change, the last still open on 31 March.
 */
import { socialWorkerChangeReasons } from "../../social-worker-change.ts";
import type { Row, Ssda903Return } from "../model.ts";
import {
  cell,
  codeRule,
  dateOf,
  dateRule,
  episodesByChild,
  rowRule,
  type Check,
  type IndexedRow,
  type RuleContext,
} from "./engine.ts";

/** Each child's social worker episodes in the order they began (no valid SW_DECOM last). */
export function socialWorkerEpisodesByChild(ret: Ssda903Return): Map<string, IndexedRow[]> {
  const map = new Map<string, IndexedRow[]>();
  (ret.SWEpisodes ?? []).forEach((row, index) => {
    const child = cell(row, "CHILD");
    map.set(child, [...(map.get(child) ?? []), { row, index }]);
  });
  for (const list of map.values()) {
    list.sort((a, b) =>
      (dateOf(a.row, "SW_DECOM") ?? "9999").localeCompare(dateOf(b.row, "SW_DECOM") ?? "9999"),
    );
  }
  return map;
}

/** Children looked after on 31 March: an episode begun by then and not ended before it. */
export function lookedAfterOnLastDay(ret: Ssda903Return, ctx: RuleContext): Map<string, Row[]> {
  const children = new Map<string, Row[]>();
  for (const [child, list] of episodesByChild(ret)) {
    const open = list.some(({ row }) => {
      const decom = dateOf(row, "DECOM");
      const dec = dateOf(row, "DEC");
      return decom !== undefined && decom <= ctx.end && (dec === undefined || dec > ctx.end);
    });
    if (open)
      children.set(
        child,
        list.map(({ row }) => row),
      );
  }
  return children;
}

/** A rule over each social worker episode with the one before and after it of the same child. */
function swSequenceRule(
  field: string,
  fails: (
    current: Row,
    previous: Row | undefined,
    next: Row | undefined,
    ctx: RuleContext,
  ) => boolean,
): Check {
  return (ret, ctx, fail) => {
    for (const list of socialWorkerEpisodesByChild(ret).values()) {
      list.forEach(({ row, index }, i) => {
        if (fails(row, list[i - 1]?.row, list[i + 1]?.row, ctx))
          fail("SWEpisodes", index, field, cell(row, field));
      });
    }
  };
}

const reasonCodes = socialWorkerChangeReasons.map((r) => r.code);

export const socialWorkerChecks: Record<string, Check> = {
  SW01STG1: (ret, ctx, fail) => {
    const reported = new Set((ret.SWEpisodes ?? []).map((row) => cell(row, "CHILD")));
    for (const [child, list] of episodesByChild(ret)) {
      if (reported.has(child) || !lookedAfterOnLastDay(ret, ctx).has(child)) continue;
      const last = list.at(-1);
      if (last) fail("Episodes", last.index, "DEC", cell(last.row, "DEC"));
    }
  },
  SW02STG1: rowRule("SWEpisodes", "SW_ID", (row) => {
    const id = cell(row, "SW_ID");
    return id !== "" && !/^(SW|XX)/.test(id);
  }),
  SW03STG1: (ret, _ctx, fail) => {
    (ret.SWEpisodes ?? []).forEach((row, i) => {
      const missing = ["SW_ID", "SW_DECOM"].find((c) => cell(row, c) === "");
      if (missing) fail("SWEpisodes", i, missing);
      else if (cell(row, "SW_DEC") !== "" && cell(row, "SW_REASON") === "")
        fail("SWEpisodes", i, "SW_REASON");
    });
  },
  SW04STG1: dateRule("SWEpisodes", "SW_DECOM", true),
  SW05STG1: dateRule("SWEpisodes", "SW_DEC", true),
  SW06STG2: rowRule("SWEpisodes", "SW_DECOM", (row, ctx) => {
    const decom = dateOf(row, "SW_DECOM");
    return decom !== undefined && decom > ctx.end;
  }),
  SW07STG2: rowRule("SWEpisodes", "SW_DEC", (row, ctx) => {
    const dec = dateOf(row, "SW_DEC");
    return dec !== undefined && (dec < ctx.start || dec > ctx.end);
  }),
  SW09STG2: rowRule("SWEpisodes", "SW_DEC", (row) => {
    const dec = dateOf(row, "SW_DEC");
    return dec !== undefined && dec === dateOf(row, "SW_DECOM");
  }),
  SW108STG2: swSequenceRule(
    "SW_DEC",
    (row, _p, next) => next !== undefined && cell(row, "SW_DEC") === "",
  ),
  SW10STG2: swSequenceRule("SW_DECOM", (row, previous) => {
    const decom = dateOf(row, "SW_DECOM");
    const previousEnd = dateOf(previous, "SW_DEC");
    return decom !== undefined && previousEnd !== undefined && decom < previousEnd;
  }),
  SW11STG2: swSequenceRule("SW_DEC", (row, _p, next, ctx) => {
    const dec = dateOf(row, "SW_DEC");
    return next === undefined && dec !== undefined && dec < ctx.end;
  }),
  // Looked after on 31 March: the first worker of the year from 1 April, or from the day the
  // child's first episode in the return began if later (no worker can be reported before one).
  SW12STG2: (ret, ctx, fail) => {
    const onLastDay = lookedAfterOnLastDay(ret, ctx);
    for (const [child, list] of socialWorkerEpisodesByChild(ret)) {
      const episodes = onLastDay.get(child);
      const first = list[0];
      const firstDecom = dateOf(first?.row, "SW_DECOM");
      if (!episodes || !first || !firstDecom) continue;
      const careBegan = episodes.map((e) => dateOf(e, "DECOM") ?? ctx.end).sort()[0] ?? ctx.end;
      const from = careBegan > ctx.start ? careBegan : ctx.start;
      if (firstDecom > from)
        fail("SWEpisodes", first.index, "SW_DECOM", cell(first.row, "SW_DECOM"));
    }
  },
  SW13STG1: codeRule("SWEpisodes", "SW_REASON", reasonCodes, true),
  SW14STG2: rowRule(
    "SWEpisodes",
    "SW_DEC",
    (row) => cell(row, "SW_REASON") !== "" && cell(row, "SW_DEC") === "",
  ),
  SW15STG2: rowRule(
    "SWEpisodes",
    "SW_REASON",
    (row) => cell(row, "SW_DEC") !== "" && cell(row, "SW_REASON") === "",
  ),
};
