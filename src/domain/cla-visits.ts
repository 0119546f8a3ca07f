/**
 * Statutory visits to a looked-after child: the Care Planning, Placement and Case Review
 * (England) Regulations 2010, reg. 28, in calendar days and months (never working days). Each
 * rule names its paragraph. Trellis records neither whether a placement with parents is under
 * reg. 19 (before the assessment of the parent is complete) nor whether a connected person is
 * only temporarily approved (reg. 24), so where the record cannot tell, the stricter paragraph
 * applies: more visits than the law asks are lawful, fewer are not (decision 0026).
 */
import { periodsOfCare, type ClaEpisode } from "./looked-after-rules.ts";
import { temporaryPlacements, type PlacementTypeCode } from "./ssda903.ts";
import { addDays, addMonths, addWorkingDays } from "./working-days.ts";

/** Why the next visit is due when it is: plain words and the paragraph of reg. 28. */
export interface ClaVisitRule {
  code:
    | "placement_week"
    | "weekly_until_review"
    | "four_weekly"
    | "six_weekly"
    | "three_monthly"
    | "care_order_week"
    | "local";
  text: string;
  regulation: string | null;
}

export interface ClaVisitDue {
  dueOn: string;
  /** The start of the child's current placement: a change of placement restarts the clock. */
  placementStart: string;
  rule: ClaVisitRule;
}

const WEEK = 7;
const FOUR_WEEKS = 28;
const SIX_WEEKS = 42;

/** A change of placement (with or without a change of legal status or carers). */
const placementChanges: readonly string[] = ["P", "T", "B", "U"];

/**
 * Long-term fostering (SSDA903 U1, U4: a long-term foster placement, reg. 22B) is the
 * placement "intended to last until C is aged 18" of reg. 28(2)(c)(i). Derived from the
 * placement type, so no one has to remember a second answer; any other placement is visited
 * at the six-weekly interval of reg. 28(2)(c)(ii), the stricter one.
 */
export const longTermPlacements: readonly PlacementTypeCode[] = ["U1", "U4"];

/**
 * Fostering with a relative or friend that is not long-term (U2, U3): the carer may be a
 * connected person approved only temporarily under reg. 24, so reg. 28(4) is applied. Long-term
 * fostering (U1) needs full approval as a foster parent, so reg. 28(2) applies to it.
 */
export const connectedPersonPlacements: readonly PlacementTypeCode[] = ["U2", "U3"];

/** Placed with parents or others with parental responsibility (P in the regulations). */
export const PLACED_WITH_PARENTS = "P1";

const placementKey = (e: ClaEpisode): string =>
  [e.placementType, e.placementProvider ?? "", e.placementPostcode ?? ""].join("|");

export interface CurrentPlacement {
  startDate: string;
  /** The open episode: today's legal status and placement type. */
  episode: ClaEpisode;
  /**
   * While placed with parents on a full care order (C2): since when the care order has run
   * in this placement (the making of the care order, as near as the episodes tell).
   */
  careOrderWithParentsFrom: string | null;
}

/**
 * The child's current placement, from their SSDA903 episodes: the latest start of a period of
 * care (S) or change of placement (P, T, B, U) in the open period. A change of legal status
 * alone (L) is not a new placement. A temporary placement (T0 to T4: hospital, a holiday) is an
 * absence from the usual placement, so neither going to it nor coming back to the same
 * placement restarts the clock. Null when the child is not looked after.
 */
export function currentPlacement(episodes: readonly ClaEpisode[]): CurrentPlacement | null {
  const period = periodsOfCare(episodes).at(-1);
  const open = period?.episodes.at(-1);
  if (!period || !open || open.endDate !== null) return null;
  let startDate = period.startDate;
  let usual: string | null = null;
  let awayTemporarily = false;
  let careOrderFrom: string | null = null;
  for (const e of period.episodes) {
    const temporary = temporaryPlacements.includes(e.placementType as PlacementTypeCode);
    if (usual === null) {
      usual = placementKey(e);
    } else if (placementChanges.includes(e.reasonNewEpisode) && !temporary) {
      const backToUsual = awayTemporarily && placementKey(e) === usual;
      if (!backToUsual) {
        startDate = e.startDate;
        usual = placementKey(e);
        careOrderFrom = null;
      }
    }
    awayTemporarily = temporary;
    careOrderFrom =
      e.placementType === PLACED_WITH_PARENTS && e.legalStatus === "C2"
        ? (careOrderFrom ?? (e.startDate > startDate ? e.startDate : startDate))
        : null;
  }
  return { startDate, episode: open, careOrderWithParentsFrom: careOrderFrom };
}

/** Within the first year of the placement: the year ends the day before its anniversary. */
export function inFirstYearOfPlacement(placementStart: string, date: string): boolean {
  return date < addMonths(placementStart, 12);
}

const rules = {
  placement_week: {
    code: "placement_week",
    text: "Within one week of the start of the placement",
    regulation: "reg. 28(2)(a)",
  },
  weekly_parents: {
    code: "weekly_until_review",
    text: "At least once a week until the first review, while placed with parents",
    regulation: "reg. 28(3)(a)",
  },
  weekly_ico_or_connected: {
    code: "weekly_until_review",
    text: "At least once a week until the first review",
    regulation: "reg. 28(4)(a)",
  },
  four_weekly: {
    code: "four_weekly",
    text: "At intervals of no more than 4 weeks",
    regulation: "reg. 28(4)(b)",
  },
  six_weekly_parents: {
    code: "six_weekly",
    text: "At intervals of no more than 6 weeks after the first review",
    regulation: "reg. 28(3)(b)",
  },
  six_weekly_first_year: {
    code: "six_weekly",
    text: "At intervals of no more than 6 weeks in the first year of the placement",
    regulation: "reg. 28(2)(b)",
  },
  six_weekly_after: {
    code: "six_weekly",
    text: "At intervals of no more than 6 weeks (the placement is not long-term)",
    regulation: "reg. 28(2)(c)(ii)",
  },
  three_monthly: {
    code: "three_monthly",
    text: "At intervals of no more than 3 months (a long-term placement, after its first year)",
    regulation: "reg. 28(2)(c)(i)",
  },
  care_order_week: {
    code: "care_order_week",
    text: "Within one week of the care order, while placed with parents",
    regulation: "reg. 28(5)(a)",
  },
} as const satisfies Record<string, ClaVisitRule>;

/**
 * When a looked-after child's next statutory visit is due. `lastSeenOn` is the latest visit at
 * which the child was seen (any date: one before the placement started does not count);
 * `reviewsHeldOn` the looked-after reviews held; `localWorkingDays` the LA's own standard, which
 * can only bring a visit forward: the earliest due date of the rules that apply wins.
 */
export function claVisitDue(input: {
  episodes: readonly ClaEpisode[];
  reviewsHeldOn: readonly string[];
  lastSeenOn: string | null;
  localWorkingDays: number | null;
}): ClaVisitDue | null {
  const placement = currentPlacement(input.episodes);
  if (!placement) return null;
  const { startDate, episode, careOrderWithParentsFrom } = placement;
  const seen = input.lastSeenOn;
  const since = seen !== null && seen >= startDate ? seen : null;
  const candidates: { dueOn: string; rule: ClaVisitRule }[] = [];
  if (since === null) {
    // reg. 28(2)(a): within one week of the start of any placement, a change included. A visit
    // on the seventh day after the start is in time.
    candidates.push({ dueOn: addDays(startDate, WEEK), rule: rules.placement_week });
  } else {
    candidates.push(nextAfterVisit(episode, startDate, since, input.reviewsHeldOn));
  }
  // reg. 28(5)(a): a care order made while the child lives with parents: a visit within a week.
  if (careOrderWithParentsFrom !== null && !(seen !== null && seen >= careOrderWithParentsFrom)) {
    candidates.push({
      dueOn: addDays(careOrderWithParentsFrom, WEEK),
      rule: rules.care_order_week,
    });
  }
  if (input.localWorkingDays !== null) {
    candidates.push({
      dueOn: addWorkingDays(since ?? startDate, input.localWorkingDays),
      rule: {
        code: "local",
        text: `The council's own standard: every ${String(input.localWorkingDays)} working days`,
        regulation: null,
      },
    });
  }
  const earliest = candidates.reduce((a, b) => (b.dueOn < a.dueOn ? b : a));
  return { dueOn: earliest.dueOn, placementStart: startDate, rule: earliest.rule };
}

/** The next visit after one at which the child was seen in this placement. */
function nextAfterVisit(
  episode: ClaEpisode,
  placementStart: string,
  lastSeen: string,
  reviewsHeldOn: readonly string[],
): { dueOn: string; rule: ClaVisitRule } {
  const type = episode.placementType as PlacementTypeCode;
  // "The first review carried out in accordance with Part 6": read as the first held since the
  // placement started, so a move to parents mid-way through care is visited weekly until then.
  const reviewed = reviewsHeldOn.some((d) => d >= placementStart);
  const firstYear = inFirstYearOfPlacement(placementStart, lastSeen);
  const withParents = type === PLACED_WITH_PARENTS;
  // reg. 28(4): a connected person under reg. 24, or an interim care order (C1) with parents.
  const reg28_4 =
    (withParents && episode.legalStatus === "C1") ||
    (connectedPersonPlacements.includes(type) && firstYear);
  if (withParents && !reg28_4) {
    // reg. 28(3): placed with parents under reg. 19 (the assessment may not be complete).
    return reviewed
      ? { dueOn: addDays(lastSeen, SIX_WEEKS), rule: rules.six_weekly_parents }
      : { dueOn: addDays(lastSeen, WEEK), rule: rules.weekly_parents };
  }
  if (reg28_4) {
    return reviewed
      ? { dueOn: addDays(lastSeen, FOUR_WEEKS), rule: rules.four_weekly }
      : { dueOn: addDays(lastSeen, WEEK), rule: rules.weekly_ico_or_connected };
  }
  // reg. 28(2)(b) and (c).
  if (firstYear) return { dueOn: addDays(lastSeen, SIX_WEEKS), rule: rules.six_weekly_first_year };
  if (longTermPlacements.includes(type)) {
    return { dueOn: addMonths(lastSeen, 3), rule: rules.three_monthly };
  }
  return { dueOn: addDays(lastSeen, SIX_WEEKS), rule: rules.six_weekly_after };
}
