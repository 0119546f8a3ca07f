/** Children in given states, for the journey rule tests. */
import type { ChildState } from "./journey-rules.ts";

export const TODAY = "2024-06-12";
export const TOMORROW = "2024-06-13";

/** A child born on 10 March 2020 with nothing open; tests open what they need. */
export function child(overrides: Partial<ChildState> = {}): ChildState {
  return {
    name: "Ada Lovelace",
    dateOfBirth: "2020-03-10",
    openReferral: null,
    openAssessment: false,
    openS47: false,
    openCpPlan: false,
    openCinPlan: null,
    openClaEpisode: false,
    openEarlyHelp: false,
    ...overrides,
  };
}

/** A child with an open referral dated 1 May 2024. */
export function referred(overrides: Partial<ChildState> = {}): ChildState {
  return child({ openReferral: { id: "ref-1", referralDate: "2024-05-01" }, ...overrides });
}
