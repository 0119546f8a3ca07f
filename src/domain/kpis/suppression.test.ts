import { describe, expect, it } from "vitest";
import { isSmall, suppressBreakdown, suppressTable } from "./suppression.ts";

describe("small numbers", () => {
  it("hides counts from 1 to 4 and shows zero and 5 or more", () => {
    expect([0, 1, 4, 5].map(isSmall)).toEqual([false, true, true, false]);
  });

  it("hides the next smallest group so a total cannot reveal a hidden one", () => {
    // 20 children: 3 + 7 + 10. Hiding only the 3 leaves 20 - 7 - 10 = 3 to be worked out.
    expect(suppressBreakdown([3, 7, 10])).toEqual({
      hidden: [true, true, false],
      totalHidden: false,
    });
  });

  it("needs no second cell when two groups are already hidden", () => {
    expect(suppressBreakdown([2, 3, 10]).hidden).toEqual([true, true, false]);
  });

  it("skips zeros when choosing the second cell to hide", () => {
    expect(suppressBreakdown([0, 2, 9, 6]).hidden).toEqual([false, true, false, true]);
  });

  it("hides the total when nothing else could hide the group", () => {
    expect(suppressBreakdown([0, 3])).toEqual({ hidden: [false, true], totalHidden: true });
  });

  it("follows a hidden cell across rows and columns until no line has a lone hidden cell", () => {
    //            a   b   c
    // month 1:   2  10  12
    // month 2:   8   9  20
    // Row 1 hides 2, then the 10 beside it; column a then has the 2 alone, so the 8 goes;
    // column b has the 10 alone, so the 9 goes; row 2 then has 8 and 9 hidden: stable.
    const { hidden, rowTotalHidden, columnTotalHidden } = suppressTable([
      [2, 10, 12],
      [8, 9, 20],
    ]);
    expect(hidden).toEqual([
      [true, true, false],
      [true, true, false],
    ]);
    expect(rowTotalHidden).toEqual([false, false]);
    expect(columnTotalHidden).toEqual([false, false, false]);
    // Every line with a hidden cell has at least two, so no subtraction reveals one.
    for (const row of hidden) expect(row.filter(Boolean).length).not.toBe(1);
    for (const c of [0, 1, 2]) expect(hidden.filter((row) => row[c]).length).not.toBe(1);
  });
});
