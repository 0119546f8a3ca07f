/**
 * The steps an episode of need moves through, and the choices a scripted journey can fix
 * (the demo's fixed sign-ins and the child with a long history) instead of drawing them.
 */
import type { AssessmentOutcome } from "./journeys-rates.ts";

export type Step =
  | { kind: "assess"; day: number }
  | { kind: "strategy"; day: number; withAssessment: boolean }
  | { kind: "cin"; day: number }
  | { kind: "cp"; day: number; icpcIds: ReadonlyMap<string, string>; category: string }
  | { kind: "care"; day: number; via: "cp" | "assessment" | "emergency" }
  | { kind: "close"; day: number; reason: string; stepDown?: boolean }
  | { kind: "open" };

/** Choices fixed by a script; anything left out is drawn from the rates. */
export interface Force {
  assessment?: AssessmentOutcome;
  s47?: boolean;
  icpc?: boolean;
  plan?: boolean;
  category?: string;
  /** The review conference at which the CP plan ends (1 = the first, at 3 months). */
  planEndsAtReview?: number;
  /** The CP plan ends with the child becoming looked after. */
  toCare?: boolean;
  stepDownToCin?: boolean;
  cinMonths?: number;
  careMonths?: number;
  /** SSDA903 reason the period of care ends. */
  ceased?: string;
  /** Open assessment: the first child's is submitted and waits for the manager. */
  awaitingAuthorisation?: boolean;
  /** Open plan: the next statutory visit is overdue today. */
  overdueVisit?: boolean;
  /**
   * Open period of care: the child moved to new foster carers three days ago and has not been
   * visited since, so a visit is due within the week (reg. 28(2)(a)).
   */
  recentMove?: boolean;
  /** Multiplies how many case notes are written. */
  notes?: number;
}
