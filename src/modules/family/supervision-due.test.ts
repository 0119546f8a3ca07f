import { describe, expect, it } from "vitest";
import { nextSupervisionDue } from "./supervision-due.ts";

// A Workbook opened on Monday 2 February 2026, as in the family test world.
const OPENED = "2026-02-02";

describe("nextSupervisionDue", () => {
  it("runs from the Workbook's opening while no session has been held", () => {
    expect(nextSupervisionDue(OPENED, 4, [], [], "2026-02-20")).toEqual({
      lastHeldOn: null,
      dueOn: "2026-03-02",
      overdue: false,
      plannedOn: null,
    });
  });

  it("is not overdue on the due date itself", () => {
    expect(nextSupervisionDue(OPENED, 4, [], [], "2026-03-02")).toMatchObject({
      dueOn: "2026-03-02",
      overdue: false,
    });
  });

  it("is overdue the day after the due date", () => {
    expect(nextSupervisionDue(OPENED, 4, [], [], "2026-03-03")).toMatchObject({
      dueOn: "2026-03-02",
      overdue: true,
    });
  });

  it("runs from the latest session held, whatever order the dates come in", () => {
    expect(nextSupervisionDue(OPENED, 4, ["2026-02-20", "2026-02-06"], [], "2026-03-02")).toEqual({
      lastHeldOn: "2026-02-20",
      dueOn: "2026-03-20",
      overdue: false,
      plannedOn: null,
    });
  });

  it("moves with the family's interval", () => {
    const today = "2026-03-02";
    expect(nextSupervisionDue(OPENED, 2, [], [], today)).toMatchObject({
      dueOn: "2026-02-16",
      overdue: true,
    });
    expect(nextSupervisionDue(OPENED, 6, [], [], today)).toMatchObject({
      dueOn: "2026-03-16",
      overdue: false,
    });
    expect(nextSupervisionDue(OPENED, 1, [], [], today).dueOn).toBe("2026-02-09");
    expect(nextSupervisionDue(OPENED, 26, [], [], today).dueOn).toBe("2026-08-03");
  });

  it("counts the earliest session scheduled by the due date as planned", () => {
    expect(
      nextSupervisionDue(OPENED, 4, [], ["2026-03-02", "2026-02-27"], "2026-02-20").plannedOn,
    ).toBe("2026-02-27");
    // A session on the due date itself is in time.
    expect(nextSupervisionDue(OPENED, 4, [], ["2026-03-02"], "2026-02-20").plannedOn).toBe(
      "2026-03-02",
    );
  });

  it("does not count a session scheduled after the due date, or overtaken by one held", () => {
    expect(nextSupervisionDue(OPENED, 4, [], ["2026-03-03"], "2026-02-20").plannedOn).toBeNull();
    expect(
      nextSupervisionDue(OPENED, 4, ["2026-02-20"], ["2026-02-13"], "2026-03-02").plannedOn,
    ).toBeNull();
  });

  it("stays overdue when the planned session has passed without being held", () => {
    expect(nextSupervisionDue(OPENED, 4, [], ["2026-02-27"], "2026-03-04")).toMatchObject({
      overdue: true,
      plannedOn: "2026-02-27",
    });
  });

  it("refuses an interval that is not a whole number of weeks", () => {
    expect(() => nextSupervisionDue(OPENED, 0, [], [], "2026-03-02")).toThrow(RangeError);
    expect(() => nextSupervisionDue(OPENED, 1.5, [], [], "2026-03-02")).toThrow(RangeError);
  });
});
