/**
 * Rules for a child missing (M) or away from placement without authorisation (A), their
 * return, and the return home interview offered within 72 hours: plain functions answering
 * with the problems found, as for looked-after episodes (looked-after-rules.ts).
 */
import { formatDate, todayIn } from "./dates.ts";
import { lookedAfterOn, type Breach, type Child, type ClaEpisode } from "./looked-after-rules.ts";
import { returnInterviewDue } from "./timescales.ts";

const on = (date: string): string => formatDate(date);

export interface MissingEpisode {
  id: string;
  startedAt: Date;
  endedAt: Date | null;
  interviewOfferedAt: Date | null;
  interviewAccepted: boolean | null;
}

const at = (instant: Date): string =>
  instant.toLocaleString("en-GB", {
    timeZone: "Europe/London",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });

/** A child going missing (M) or away from placement without authorisation (A). */
export function checkMissingStart(
  child: Child,
  missing: readonly MissingEpisode[],
  claEpisodes: readonly ClaEpisode[],
  start: { kind: "M" | "A"; startedAt: Date },
  now: Date,
): Breach[] {
  const field = "startedAt";
  const { startedAt } = start;
  if (startedAt > now)
    return [{ field, message: "The time they went missing cannot be in the future" }];
  const startDay = todayIn(startedAt);
  if (child.dateOfBirth && startDay < child.dateOfBirth) {
    return [
      {
        field,
        message: `The time they went missing cannot be before the child's date of birth (${on(child.dateOfBirth)})`,
      },
    ];
  }
  const open = missing.find((m) => m.endedAt === null);
  if (open) {
    return [
      {
        field,
        message: `The child is already recorded as missing since ${at(open.startedAt)}: record their return first`,
      },
    ];
  }
  // The new episode is open-ended, so it overlaps any episode that ended after it started.
  const overlapped = missing.find(
    (m) => m.startedAt >= startedAt || (m.endedAt !== null && m.endedAt > startedAt),
  );
  if (overlapped?.endedAt) {
    return [
      {
        field,
        message: `This overlaps the time the child was missing from ${at(overlapped.startedAt)} to ${at(overlapped.endedAt)}: missing episodes cannot overlap`,
      },
    ];
  }
  if (start.kind === "A" && !lookedAfterOn(claEpisodes, startDay)) {
    return [
      {
        field: "kind",
        message: `Away from placement applies only to a looked-after child, and the child was not looked after on ${on(startDay)}: choose missing`,
      },
    ];
  }
  return [];
}

/** The child's return from a missing episode. */
export function checkReturn(episode: MissingEpisode, endedAt: Date, now: Date): Breach[] {
  const field = "endedAt";
  if (episode.endedAt !== null) {
    return [{ field, message: `The child's return is already recorded (${at(episode.endedAt)})` }];
  }
  if (endedAt > now) return [{ field, message: "The time they came back cannot be in the future" }];
  if (endedAt < episode.startedAt) {
    return [
      {
        field,
        message: `The time they came back must be after they went missing (${at(episode.startedAt)})`,
      },
    ];
  }
  return [];
}

/** The return home interview: offered, accepted or declined, and held. */
export function checkInterview(
  episode: MissingEpisode,
  interview: { offeredAt: Date; accepted: boolean | null; heldAt: Date | null },
  now: Date,
): Breach[] {
  if (episode.endedAt === null) {
    return [
      {
        field: "offeredAt",
        message:
          "A return interview can be recorded only after the child has come back: record their return first",
      },
    ];
  }
  const breaches: Breach[] = [];
  const { offeredAt, accepted, heldAt } = interview;
  if (offeredAt > now) {
    breaches.push({
      field: "offeredAt",
      message: "The time it was offered cannot be in the future",
    });
  } else if (offeredAt < episode.endedAt) {
    breaches.push({
      field: "offeredAt",
      message: `The interview must be offered after the child came back (${at(episode.endedAt)})`,
    });
  }
  if (heldAt) {
    if (accepted !== true) {
      breaches.push({
        field: "heldAt",
        message:
          "An interview was held only if the child accepted it: answer yes, or leave the time it was held empty",
      });
    } else if (heldAt > now) {
      breaches.push({ field: "heldAt", message: "The time it was held cannot be in the future" });
    } else if (heldAt < offeredAt) {
      breaches.push({
        field: "heldAt",
        message: "The interview cannot be held before it was offered",
      });
    }
  }
  return breaches;
}

export type ReturnInterviewStatus =
  "missing" | "due" | "offered" | "accepted" | "overdue" | "held" | "held_late" | "declined";

/**
 * Where the return home interview stands, judged on when it was HELD: the statutory guidance
 * (Children who run away or go missing from home or care, 2014) asks for the interview within
 * 72 hours of the child's return, so offering it in time is not enough. Still missing; due
 * (not yet offered), offered or accepted while the 72 hours run; overdue once they have passed
 * without it being held; held (in time) or held late; or declined by the child, which closes it
 * (a child cannot be made to take part; the offer is what is recorded).
 */
export function returnInterviewStatus(
  episode: MissingEpisode & { interviewHeldAt: Date | null },
  now: Date,
): { status: ReturnInterviewStatus; dueAt: Date | null; offeredLate: boolean } {
  if (episode.endedAt === null) return { status: "missing", dueAt: null, offeredLate: false };
  const dueAt = returnInterviewDue(episode.endedAt);
  const offered = episode.interviewOfferedAt;
  const offeredLate = offered !== null && offered > dueAt;
  const held = episode.interviewHeldAt;
  if (held !== null) return { status: held > dueAt ? "held_late" : "held", dueAt, offeredLate };
  if (episode.interviewAccepted === false) return { status: "declined", dueAt, offeredLate };
  // Not held: overdue once 72 hours have passed (a moment exactly 72 hours on is in time).
  if (now > dueAt) return { status: "overdue", dueAt, offeredLate };
  const status =
    offered === null ? "due" : episode.interviewAccepted === true ? "accepted" : "offered";
  return { status, dueAt, offeredLate };
}
