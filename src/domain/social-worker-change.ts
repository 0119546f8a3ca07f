/**
 * Changes of a child's social worker. The reasons are the SSDA903 SocialWorker module's
 * SW_REASON codes (SSDA903_schema_2024.yml), stored on the allocation that ended so the return
 * can be produced without translation; the labels put the DfE guidance in plain words. The test
 * compares the codes with the schema to catch drift.
 */
import type { CodeList, CodeOf } from "./code-lists.ts";

export const socialWorkerChangeReasons = [
  { code: "MANAGE", label: "Management decision, for example to balance caseloads" },
  { code: "FCONTA", label: "Fixed-term or agency contract ended" },
  { code: "LEFTRL", label: "Social worker left the role" },
  { code: "ORGRST", label: "Organisational restructure" },
  {
    code: "TSPROC",
    label:
      "Moved between teams as part of the local authority's process, for example from assessment to a long-term team",
  },
  {
    code: "ABSENC",
    label: "Long absence of the social worker, such as sickness or parental leave",
  },
  { code: "CHCHAN", label: "The child's circumstances changed" },
  { code: "PCCHAN", label: "The parent, carer or child asked for a change" },
  { code: "SWDIED", label: "Social worker died" },
  { code: "OTHERS", label: "Other reason" },
] as const satisfies CodeList;
export type SocialWorkerChangeReason = CodeOf<typeof socialWorkerChangeReasons>;

/** The label for a stored reason; a code not on the list (older data) is shown as it is. */
export function socialWorkerChangeLabel(code: string): string {
  return socialWorkerChangeReasons.find((r) => r.code === code)?.label ?? code;
}

/** Roles whose allocation to a child makes them the child's social worker. */
export const caseholderRoles = ["social_worker", "team_manager"] as const;

export interface AllocationForCount {
  workerId: string;
  /** The role of the allocated worker. */
  role: string;
  startDate: string;
}

/**
 * How many times the child's social worker changed: every allocation to a social worker or
 * team manager after the first, in order of start, unless it went to the same worker as the
 * one before (a case closed and reopened to the same worker is no change for the child).
 * Allocations to other practitioners (an adult specialist, say) are not changes of social
 * worker. Leaders measure this per child: each change is a new relationship to build.
 */
export function countSocialWorkerChanges(allocations: readonly AllocationForCount[]): number {
  const workers = allocations
    .filter((a) => (caseholderRoles as readonly string[]).includes(a.role))
    .toSorted((a, b) => a.startDate.localeCompare(b.startDate))
    .map((a) => a.workerId);
  return workers.filter((worker, i) => i > 0 && worker !== workers[i - 1]).length;
}
