/**
 * The DfE's rules comparing this year's return with last year's (the `_last` tables; decision
 * 0037): a child's identity should not change between years, and an episode (or a social worker
 * episode) open at the end of last year should be this year's first, unchanged. Last year's
 * return is `ctx.previous`; the rules run only when it is there.
 */
import type { Row } from "../model.ts";
import {
  cell,
  dateOf,
  eachRow,
  episodesByChild,
  headerByChild,
  type Check,
  type IndexedRow,
} from "./engine.ts";
import { socialWorkerEpisodesByChild } from "./sw-episodes.ts";

/** A Header column that must agree with last year's for the same child, when both are given. */
const sameAsLastYear =
  (column: string, comparable: (last: string) => boolean = () => true): Check =>
  (ret, ctx, fail) => {
    const last = headerByChild(ctx.previous ?? {});
    eachRow(ret, "Header", (row, i) => {
      const before = cell(last.get(cell(row, "CHILD")), column);
      const now = cell(row, column);
      if (before !== "" && now !== "" && comparable(before) && before !== now)
        fail("Header", i, column, now);
    });
  };

/**
 * Each child's episode open at the end of last year paired with this year's first episode: the
 * pairs the 502 and 503 rules compare.
 */
function openAtYearEnd(
  byChild: Map<string, IndexedRow[]>,
  lastByChild: Map<string, IndexedRow[]>,
  endColumn: string,
): { first: IndexedRow; open: Row }[] {
  const pairs: { first: IndexedRow; open: Row }[] = [];
  for (const [child, list] of byChild) {
    const open = lastByChild.get(child)?.at(-1)?.row;
    const first = list[0];
    if (open && first && cell(open, endColumn) === "") pairs.push({ first, open });
  }
  return pairs;
}

const firstEpisodeMatches =
  (column: string): Check =>
  (ret, ctx, fail) => {
    const pairs = openAtYearEnd(episodesByChild(ret), episodesByChild(ctx.previous ?? {}), "DEC");
    for (const { first, open } of pairs) {
      if (cell(first.row, column) !== cell(open, column))
        fail("Episodes", first.index, column, cell(first.row, column));
    }
  };

const firstSocialWorkerMatches =
  (column: string): Check =>
  (ret, ctx, fail) => {
    const pairs = openAtYearEnd(
      socialWorkerEpisodesByChild(ret),
      socialWorkerEpisodesByChild(ctx.previous ?? {}),
      "SW_DEC",
    );
    for (const { first, open } of pairs) {
      if (cell(first.row, column) !== cell(open, column))
        fail("SWEpisodes", first.index, column, cell(first.row, column));
    }
  };

export const previousYearChecks: Record<string, Check> = {
  "202": sameAsLastYear("SEX"),
  "203": sameAsLastYear("DOB"),
  "204": sameAsLastYear("ETHNIC"),
  // A UPN may replace last year's reason it was unknown (UN1-UN7); a real UPN stays.
  "208": sameAsLastYear("UPN", (last) => !/^UN[1-7]$/.test(last)),
  "502": firstEpisodeMatches("DECOM"),
  "503A": firstEpisodeMatches("RNE"),
  "503B": firstEpisodeMatches("LS"),
  "503C": firstEpisodeMatches("CIN"),
  "503E": firstEpisodeMatches("PLACE_PROVIDER"),
  NoE: (ret, ctx, fail) => {
    const last = episodesByChild(ctx.previous ?? {});
    for (const [child, list] of episodesByChild(ret)) {
      const first = list[0];
      const decom = dateOf(first?.row, "DECOM");
      if (first && decom !== undefined && decom < ctx.start && !last.has(child))
        fail("Episodes", first.index, "DECOM", cell(first.row, "DECOM"));
    }
  },
  SW16aSTG2: firstSocialWorkerMatches("SW_ID"),
  SW16bSTG2: firstSocialWorkerMatches("SW_DECOM"),
  SW16cSTG2: firstSocialWorkerMatches("SW_REASON"),
};
