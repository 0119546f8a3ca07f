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

  it("are due within 72 hours of the return, judged on when the interview is held", () => {
    const notHeld = { ...back, interviewHeldAt: null };
    expect(returnInterviewStatus({ ...notHeld, endedAt: null }, now).status).toBe("missing");
    const due = returnInterviewStatus(notHeld, now);
    expect(due).toEqual({
      status: "due",
      dueAt: new Date("2026-03-03T08:00:00Z"),
      offeredLate: false,
    });
    // Exactly 72 hours after the return is in time; a second later is overdue.
    expect(returnInterviewStatus(notHeld, new Date("2026-03-03T08:00:00Z")).status).toBe("due");
    expect(returnInterviewStatus(notHeld, new Date("2026-03-03T08:00:01Z")).status).toBe("overdue");
    const offered = { ...notHeld, interviewOfferedAt: offeredAt };
    expect(returnInterviewStatus(offered, now).status).toBe("offered");
    const accepted = { ...offered, interviewAccepted: true };
    expect(returnInterviewStatus(accepted, now).status).toBe("accepted");
    // Offered and accepted in time but not held within 72 hours: overdue all the same.
    expect(returnInterviewStatus(accepted, new Date("2026-03-03T08:00:01Z"))).toMatchObject({
      status: "overdue",
      offeredLate: false,
    });
    // Held at 72 hours exactly is in time; a minute later is late, whenever it was offered.
    const heldAt = (at: string) => ({ ...accepted, interviewHeldAt: new Date(at) });
    const later = new Date("2026-03-10T08:00:00Z");
    expect(returnInterviewStatus(heldAt("2026-03-03T08:00:00Z"), later).status).toBe("held");
    expect(returnInterviewStatus(heldAt("2026-03-03T08:01:00Z"), later).status).toBe("held_late");
    const late = returnInterviewStatus(
      {
        ...notHeld,
        interviewOfferedAt: new Date("2026-03-04T08:00:00Z"),
        interviewAccepted: false,
      },
      now,
    );
    expect(late).toMatchObject({ status: "declined", offeredLate: true });
  });
});
