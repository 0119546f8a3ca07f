import { describe, expect, it } from "vitest";
import type { ClaEpisode } from "./looked-after-rules.ts";
import {
  checkInterview,
  checkMissingStart,
  checkReturn,
  returnInterviewStatus,
  type MissingEpisode,
} from "./missing-rules.ts";

const child = { dateOfBirth: "2015-03-27" };

function episode(over: Partial<ClaEpisode> & { startDate: string }): ClaEpisode {
  return {
    id: over.startDate,
    endDate: null,
    reasonNewEpisode: "S",
    legalStatus: "C1",
    placementType: "U6",
    placementProvider: "PR1",
    placementPostcode: "TS2 2BB",
    reasonCeased: null,
    ...over,
  };
}

const fields = (breaches: { field: string }[]) => breaches.map((b) => b.field);

describe("missing episodes", () => {
  const now = new Date("2026-03-02T10:00:00Z");
  const returned: MissingEpisode = {
    id: "m1",
    startedAt: new Date("2026-02-01T20:00:00Z"),
    endedAt: new Date("2026-02-02T08:00:00Z"),
    interviewOfferedAt: null,
    interviewAccepted: null,
  };
  const looked = [episode({ startDate: "2025-06-01" })];

  it("may start after an earlier episode ended, or the moment it ended", () => {
    expect(
      checkMissingStart(
        child,
        [returned],
        [],
        { kind: "M", startedAt: new Date("2026-02-02T08:00:00Z") },
        now,
      ),
    ).toEqual([]);
    expect(checkMissingStart(child, [], looked, { kind: "A", startedAt: now }, now)).toEqual([]);
  });

  it("refuses a start in the future or before birth", () => {
    expect(
      checkMissingStart(
        child,
        [],
        [],
        { kind: "M", startedAt: new Date("2026-03-02T10:01:00Z") },
        now,
      )[0]?.message,
    ).toMatch(/future/);
    expect(
      checkMissingStart(
        child,
        [],
        [],
        { kind: "M", startedAt: new Date("2015-03-26T12:00:00Z") },
        now,
      )[0]?.message,
    ).toBe("The time they went missing cannot be before the child's date of birth (27 March 2015)");
  });

  it("refuses a start while missing, or overlapping an earlier episode", () => {
    const open = { ...returned, endedAt: null };
    expect(
      checkMissingStart(child, [open], [], { kind: "M", startedAt: now }, now)[0]?.message,
    ).toMatch(
      /already recorded as missing since 1 February 2026 at 20:00: record their return first/,
    );
    for (const startedAt of ["2026-02-02T07:00:00Z", "2026-01-20T07:00:00Z"]) {
      expect(
        checkMissingStart(
          child,
          [returned],
          [],
          { kind: "M", startedAt: new Date(startedAt) },
          now,
        )[0]?.message,
        startedAt,
      ).toMatch(
        /overlaps the time the child was missing from 1 February 2026 at 20:00 to 2 February 2026 at 08:00/,
      );
    }
  });

  it("allows away from placement only while looked after", () => {
    expect(fields(checkMissingStart(child, [], [], { kind: "A", startedAt: now }, now))).toEqual([
      "kind",
    ]);
  });

  it("ends on or after the start, not in the future, and once", () => {
    const open = { ...returned, endedAt: null };
    expect(checkReturn(open, new Date("2026-02-01T20:00:00Z"), now)).toEqual([]);
    expect(checkReturn(open, new Date("2026-02-01T19:59:00Z"), now)[0]?.message).toMatch(
      /must be after they went missing/,
    );
    expect(checkReturn(open, new Date("2026-03-02T10:01:00Z"), now)[0]?.message).toMatch(/future/);
    expect(checkReturn(returned, now, now)[0]?.message).toMatch(/already recorded/);
  });
});

describe("return home interviews", () => {
  const now = new Date("2026-03-02T10:00:00Z");
  const back: MissingEpisode = {
    id: "m1",
    startedAt: new Date("2026-02-27T20:00:00Z"),
    endedAt: new Date("2026-02-28T08:00:00Z"),
    interviewOfferedAt: null,
    interviewAccepted: null,
  };
  const offeredAt = new Date("2026-03-01T09:00:00Z");

  it("can be recorded only after the child came back", () => {
    expect(
      checkInterview(
        { ...back, endedAt: null },
        { offeredAt, accepted: true, heldAt: null },
        now,
      )[0]?.message,
    ).toMatch(/only after the child has come back/);
  });

  it("are offered after the return and held after the offer, only if accepted, never in the future", () => {
    expect(
      checkInterview(
        back,
        { offeredAt, accepted: true, heldAt: new Date("2026-03-02T09:00:00Z") },
        now,
      ),
    ).toEqual([]);
    expect(checkInterview(back, { offeredAt, accepted: null, heldAt: null }, now)).toEqual([]);
    expect(
      fields(
        checkInterview(
          back,
          { offeredAt: new Date("2026-02-28T07:00:00Z"), accepted: true, heldAt: null },
          now,
        ),
      ),
    ).toEqual(["offeredAt"]);
    expect(
      fields(
        checkInterview(
          back,
          { offeredAt: new Date("2026-03-02T11:00:00Z"), accepted: true, heldAt: null },
          now,
        ),
      ),
    ).toEqual(["offeredAt"]);
    expect(fields(checkInterview(back, { offeredAt, accepted: false, heldAt: now }, now))).toEqual([
      "heldAt",
    ]);
    expect(
      fields(
        checkInterview(
          back,
          { offeredAt, accepted: true, heldAt: new Date("2026-03-01T08:00:00Z") },
          now,
        ),
      ),
    ).toEqual(["heldAt"]);
    expect(
      fields(
        checkInterview(
          back,
          { offeredAt, accepted: true, heldAt: new Date("2026-03-02T10:30:00Z") },
          now,
        ),
      ),
    ).toEqual(["heldAt"]);
  });

  it("are due 72 hours after the return, then overdue, until offered", () => {
    expect(returnInterviewStatus({ ...back, endedAt: null }, now).status).toBe("missing");
    const due = returnInterviewStatus(back, now);
    expect(due).toEqual({
      status: "due",
      dueAt: new Date("2026-03-03T08:00:00Z"),
      offeredLate: false,
    });
    expect(returnInterviewStatus(back, new Date("2026-03-03T08:00:01Z")).status).toBe("overdue");
    expect(returnInterviewStatus({ ...back, interviewOfferedAt: offeredAt }, now).status).toBe(
      "offered",
    );
    expect(
      returnInterviewStatus(
        { ...back, interviewOfferedAt: offeredAt, interviewAccepted: true },
        now,
      ).status,
    ).toBe("accepted");
    const late = returnInterviewStatus(
      { ...back, interviewOfferedAt: new Date("2026-03-04T08:00:00Z"), interviewAccepted: false },
      now,
    );
    expect(late).toMatchObject({ status: "declined", offeredLate: true });
  });
});
