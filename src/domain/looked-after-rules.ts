/**
 * Rules for a looked-after child's episodes (SSDA903) and reviews (missing episodes are in
 * missing-rules.ts): plain
 * functions over what is already recorded, each answering with the problems found, so the
 * form can name the field and say what to do. An empty list means the change may be saved.
 *
 * Episodes of care: one row per change of legal status or placement. A period of care is a
 * run of episodes: it starts with reason "S", each change ends the open episode with "X1" and
 * opens the next the same day, and it ends with any other reason. Episodes never overlap.
 */
import { ageOn, formatDate } from "./dates.ts";
import {
  adoptionWithCurrentCarers,
  specialGuardianshipEndings,
  temporaryPlacements,
  type LegalStatusCode,
  type PlacementProviderCode,
  type PlacementTypeCode,
  type ReasonEpisodeCeasedCode,
  type ReasonForNewEpisodeCode,
  type ReviewParticipationCode,
} from "./ssda903.ts";
import { claReviewDue } from "./timescales.ts";

/** A problem with what was entered: the form field it concerns and what to do about it. */
export interface Breach {
  field: string;
  message: string;
}

export interface Child {
  dateOfBirth: string | null;
}

export interface Placement {
  legalStatus: LegalStatusCode;
  placementType: PlacementTypeCode;
  placementProvider: PlacementProviderCode | null;
  placementPostcode: string | null;
}

export interface ClaEpisode {
  id: string;
  startDate: string;
  endDate: string | null;
  reasonNewEpisode: string;
  legalStatus: string;
  placementType: string;
  placementProvider: string | null;
  placementPostcode: string | null;
  reasonCeased: string | null;
}

export interface PeriodOfCare<E extends ClaEpisode = ClaEpisode> {
  startDate: string;
  /** Null while the child is looked after. */
  endDate: string | null;
  reasonCeased: string | null;
  /** Oldest first. */
  episodes: E[];
}

/** Freeing orders ended, and placement orders began, on 30 December 2005. */
const ADOPTION_AND_CHILDREN_ACT_2002 = "2005-12-30";

const on = (date: string): string => formatDate(date);

/** The episodes grouped into periods of care, oldest first. */
export function periodsOfCare<E extends ClaEpisode>(episodes: readonly E[]): PeriodOfCare<E>[] {
  const sorted = [...episodes].sort((a, b) => a.startDate.localeCompare(b.startDate));
  const periods: PeriodOfCare<E>[] = [];
  let current: PeriodOfCare<E> | undefined;
  for (const episode of sorted) {
    // A period continues only from an episode that ended with X1 (a change, not an ending).
    if (!current || current.reasonCeased !== "X1") {
      current = { startDate: episode.startDate, endDate: null, reasonCeased: null, episodes: [] };
      periods.push(current);
    }
    current.episodes.push(episode);
    current.endDate = episode.reasonCeased === "X1" ? null : episode.endDate;
    current.reasonCeased = episode.reasonCeased;
  }
  return periods;
}

export function openEpisode(episodes: readonly ClaEpisode[]): ClaEpisode | undefined {
  return episodes.find((e) => e.endDate === null);
}

/** Whether the child was looked after on the date (in an episode covering it). */
export function lookedAfterOn(episodes: readonly ClaEpisode[], date: string): boolean {
  return episodes.some((e) => e.startDate <= date && (e.endDate === null || e.endDate >= date));
}

/** What the DfE's checks require of a placement, whatever the episode's reason. */
export function checkPlacement(placement: Placement, startDate: string): Breach[] {
  const breaches: Breach[] = [];
  const { legalStatus, placementType, placementProvider } = placement;
  if (legalStatus === "D1" && startDate >= ADOPTION_AND_CHILDREN_ACT_2002) {
    breaches.push({
      field: "legalStatus",
      message: `Freeing orders (D1) have not been made since ${on(ADOPTION_AND_CHILDREN_ACT_2002)}: choose placement order (E1) or another legal status`,
    });
  }
  if (legalStatus === "E1" && startDate < ADOPTION_AND_CHILDREN_ACT_2002) {
    breaches.push({
      field: "legalStatus",
      message: `Placement orders (E1) began on ${on(ADOPTION_AND_CHILDREN_ACT_2002)}: choose another legal status for an earlier episode`,
    });
  }
  if (temporaryPlacements.includes(placementType)) {
    if (placementProvider !== null) {
      breaches.push({
        field: "placementProvider",
        message: "Leave the placement provider empty for a temporary placement (T0 to T4)",
      });
    }
  } else if (placementProvider === null) {
    breaches.push({ field: "placementProvider", message: "Select the placement provider" });
  } else if ((placementType === "P1") !== (placementProvider === "PR0")) {
    breaches.push({
      field: "placementProvider",
      message:
        placementType === "P1"
          ? "A child placed with their parents (P1) has parents or others with parental responsibility (PR0) as the provider"
          : "Parents or others with parental responsibility (PR0) provide only placements with parents (P1): choose another provider",
    });
  }
  return breaches;
}

/** Starting a period of care (reason "S"). */
export function checkNewPeriodOfCare(
  child: Child,
  episodes: readonly ClaEpisode[],
  start: Placement & { startDate: string },
  today: string,
): Breach[] {
  const field = "startDate";
  const { startDate } = start;
  if (startDate > today) {
    return [{ field, message: "The period of care cannot start in the future" }];
  }
  if (child.dateOfBirth && startDate < child.dateOfBirth) {
    return [
      {
        field,
        message: `The period of care cannot start before the child's date of birth (${on(child.dateOfBirth)})`,
      },
    ];
  }
  if (child.dateOfBirth && ageOn(child.dateOfBirth, startDate) >= 18) {
    return [{ field, message: "A young person aged 18 or over cannot start to be looked after" }];
  }
  const open = openEpisode(episodes);
  if (open) {
    return [
      {
        field,
        message: `The child is already looked after (the current episode started on ${on(open.startDate)}). Record a change of legal status or placement, or end that episode first`,
      },
    ];
  }
  if (episodes.some((e) => e.reasonCeased === "E2")) {
    return [{ field, message: "The child's care ended because they died (E2)" }];
  }
  // The new period runs on from its start, so it overlaps any episode that had not ended
  // before that day. Starting the day an episode ended is refused too (DfE check 431).
  const overlapped = episodes.find((e) => e.endDate !== null && e.endDate >= startDate);
  if (overlapped?.endDate) {
    return [
      {
        field,
        message: `The period of care must start after ${on(overlapped.endDate)}: the child was looked after from ${on(overlapped.startDate)} to ${on(overlapped.endDate)}`,
      },
    ];
  }
  const breaches = checkPlacement(start, startDate);
  if (temporaryPlacements.includes(start.placementType)) {
    breaches.push({
      field: "placementType",
      message: "A period of care cannot start with a temporary placement (T0 to T4)",
    });
  }
  return breaches;
}

/**
 * Which reasons for a new episode fit what changed. "Placement" means the placement type,
 * provider or postcode. The guidance splits a placement change by whether the carers stayed
 * the same, which only the worker knows, so either code is accepted:
 *  - legal status only: L;
 *  - placement only: P (new carers) or T (same carers, e.g. short-term fostering becoming
 *    long-term with the same foster carers, U6 to U4, or placed for adoption with them, A3);
 *  - both: B (new carers) or U (same carers, e.g. foster carers who are approved adopters
 *    becoming adopters under a placement order, U5 and V2 to A5 and E1).
 * The DfE's checks 434 to 436 hold these pairs (T and B were once swapped here: migration 018).
 */
export function reasonsThatFit(
  from: ClaEpisode,
  to: Placement,
): readonly ReasonForNewEpisodeCode[] {
  const legalChanged = from.legalStatus !== to.legalStatus;
  const placementChanged =
    from.placementType !== to.placementType ||
    from.placementProvider !== to.placementProvider ||
    (from.placementPostcode ?? "") !== (to.placementPostcode ?? "");
  if (legalChanged && placementChanged) return ["B", "U"];
  if (legalChanged) return ["L"];
  if (placementChanged) return ["P", "T"];
  return [];
}

/** A change of legal status and/or placement: the open episode ends with X1 that day. */
export function checkChange(
  open: ClaEpisode,
  change: Placement & { changeDate: string; reasonNewEpisode: ReasonForNewEpisodeCode },
  today: string,
): Breach[] {
  const { changeDate } = change;
  if (open.endDate !== null) {
    return [{ field: "changeDate", message: "This episode has already ended" }];
  }
  if (changeDate > today) {
    return [{ field: "changeDate", message: "The date of the change cannot be in the future" }];
  }
  // A change on the day the episode started would leave an episode with no length; correct
  // that episode instead.
  if (changeDate <= open.startDate) {
    return [
      {
        field: "changeDate",
        message: `The date of the change must be after the current episode started (${on(open.startDate)})`,
      },
    ];
  }
  const fits = reasonsThatFit(open, change);
  if (fits.length === 0) {
    return [
      {
        field: "legalStatus",
        message: "Nothing has changed: enter the new legal status or the new placement",
      },
    ];
  }
  const breaches = checkPlacement(change, changeDate);
  const rne = change.reasonNewEpisode;
  if (rne === "S") {
    breaches.push({
      field: "reasonNewEpisode",
      message: "The child is already looked after: choose what changed, not 'started'",
    });
  } else if (!fits.includes(rne)) {
    const what =
      fits[0] === "L"
        ? "only the legal status"
        : fits[0] === "P"
          ? "only the placement"
          : "both the legal status and the placement";
    breaches.push({
      field: "reasonNewEpisode",
      message: `The details show that ${what} changed: choose ${fits.join(" or ")}`,
    });
  } else if (
    adoptionWithCurrentCarers.includes(change.placementType) &&
    !["T", "U"].includes(rne)
  ) {
    breaches.push({
      field: "reasonNewEpisode",
      message:
        "Placing a child for adoption with their current foster carers (A3, A5) keeps the carers: choose T (placement only) or U (legal status and placement)",
    });
  }
  return breaches;
}

/** Ending a period of care. */
export function checkEndOfCare(
  child: Child,
  open: ClaEpisode,
  end: { endDate: string; reasonCeased: ReasonEpisodeCeasedCode },
  today: string,
): Breach[] {
  const { endDate, reasonCeased } = end;
  if (open.endDate !== null) {
    return [{ field: "endDate", message: "This episode has already ended" }];
  }
  const breaches: Breach[] = [];
  if (endDate > today) {
    breaches.push({ field: "endDate", message: "The date care ended cannot be in the future" });
  } else if (endDate < open.startDate) {
    breaches.push({
      field: "endDate",
      message: `The date care ended must be on or after the current episode started (${on(open.startDate)})`,
    });
  }
  if (reasonCeased === "X1") {
    breaches.push({
      field: "reasonCeased",
      message:
        "X1 is for a change of legal status or placement: record a change instead, or choose why the child stopped being looked after",
    });
  }
  const age =
    child.dateOfBirth && endDate >= child.dateOfBirth
      ? ageOn(child.dateOfBirth, endDate)
      : undefined;
  if (age !== undefined && age < 18 && reasonCeased === "E17") {
    breaches.push({
      field: "reasonCeased",
      message:
        "Staying with current carers at 18 (E17) applies only to a young person aged 18 or over",
    });
  }
  if (age !== undefined && age >= 18 && specialGuardianshipEndings.includes(reasonCeased)) {
    breaches.push({
      field: "reasonCeased",
      message: "A special guardianship order cannot be made for a young person aged 18 or over",
    });
  }
  if (temporaryPlacements.includes(open.placementType as PlacementTypeCode)) {
    breaches.push({
      field: "reasonCeased",
      message:
        "A period of care cannot end in a temporary placement (T0 to T4): record the return to the usual placement first",
    });
  }
  return breaches;
}

/**
 * When the next looked-after review is due in a period of care, given the reviews already
 * held in it: the first within 20 working days of the start, the second within 3 months of
 * the first, then every 6 months.
 */
export function nextClaReviewDue(periodStart: string, heldOn: readonly string[]): string {
  const held = [...heldOn].sort();
  const previous = held[held.length - 1] ?? periodStart;
  return claReviewDue(previous, held.length + 1);
}

/** Recording a looked-after review; answers the due date to store with it, or the problems. */
export function checkReview(
  child: Child,
  episodes: readonly ClaEpisode[],
  reviewsHeldOn: readonly string[],
  review: { heldOn: string; participation: ReviewParticipationCode },
  today: string,
): { breaches: Breach[]; dueOn?: string } {
  const { heldOn, participation } = review;
  if (heldOn > today) {
    return { breaches: [{ field: "heldOn", message: "The review date cannot be in the future" }] };
  }
  const period = periodsOfCare(episodes).find(
    (p) => p.startDate <= heldOn && (p.endDate === null || p.endDate >= heldOn),
  );
  if (!period) {
    return {
      breaches: [
        {
          field: "heldOn",
          message: `The child was not looked after on ${on(heldOn)}: a looked-after review is held only while a child is looked after`,
        },
      ],
    };
  }
  const inPeriod = reviewsHeldOn.filter(
    (d) => d >= period.startDate && (period.endDate === null || d <= period.endDate),
  );
  const last = [...inPeriod].sort().at(-1);
  const breaches: Breach[] = [];
  if (last && heldOn <= last) {
    breaches.push({
      field: "heldOn",
      message: `The review must be after the last review recorded (${on(last)}); record reviews in the order they were held`,
    });
  }
  if (child.dateOfBirth) {
    const under4 = ageOn(child.dateOfBirth, heldOn) < 4;
    if (under4 && participation !== "PN0") {
      breaches.push({
        field: "participation",
        message:
          "The child was under 4 at the review: choose 'Child under 4 at the time of the review' (PN0)",
      });
    } else if (!under4 && participation === "PN0") {
      breaches.push({
        field: "participation",
        message: "The child was 4 or over at the review: choose how they took part",
      });
    }
  }
  return { breaches, dueOn: nextClaReviewDue(period.startDate, inPeriod) };
}
