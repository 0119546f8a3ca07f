import { describe, expect, it } from "vitest";
import { checkUasc, eighteenthBirthday } from "./uasc.ts";

const child = { dateOfBirth: "2008-02-29" };
const today = "2026-03-02";

describe("a child's UASC status", () => {
  it("accepts a UASC child with or without the date the status ceased", () => {
    expect(checkUasc({ uasc: true, ceasedOn: null }, child, today)).toEqual([]);
    expect(checkUasc({ uasc: true, ceasedOn: "2025-06-01" }, child, today)).toEqual([]);
    expect(checkUasc({ uasc: false, ceasedOn: null }, child, today)).toEqual([]);
  });

  it("refuses a date ceased for a child never recorded as UASC, saying what to do", () => {
    expect(checkUasc({ uasc: false, ceasedOn: "2025-06-01" }, child, today)).toEqual([
      { field: "ceasedOn", message: expect.stringMatching(/Leave the date empty/) as string },
    ]);
  });

  it("refuses a date after the 18th birthday, before birth, or in the future", () => {
    const after = checkUasc({ uasc: true, ceasedOn: "2026-03-02" }, child, today);
    expect(after[0]?.message).toMatch(/on or before the 18th birthday \(1 March 2026\)/);
    expect(checkUasc({ uasc: true, ceasedOn: "2026-03-01" }, child, today)).toEqual([]);
    expect(checkUasc({ uasc: true, ceasedOn: "2007-01-01" }, child, today)[0]?.message).toMatch(
      /on or after the child's birth/,
    );
    expect(checkUasc({ uasc: true, ceasedOn: "2026-04-01" }, child, today)[0]?.message).toMatch(
      /today or earlier/,
    );
  });

  it("puts a 29 February birthday's 18th on 1 March in a common year", () => {
    expect(eighteenthBirthday("2008-02-29")).toBe("2026-03-01");
    expect(eighteenthBirthday("2010-06-15")).toBe("2028-06-15");
  });
});
