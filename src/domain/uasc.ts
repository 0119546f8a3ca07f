/**
 * An unaccompanied asylum-seeking child's status and the date it ceased, as the SSDA903's UASC
 * table holds them (DfE, SSDA903 guidance 2024-25: UASC and DUC). The form refuses what the
 * DfE's rules would: a date ceased for a child never recorded as UASC (rule 303), a date after
 * the 18th birthday (rule 304: the status ends at 18 at the latest), before the child was born,
 * or in the future.
 */
import { formatDate } from "./dates.ts";

export interface UascStatus {
  uasc: boolean;
  ceasedOn: string | null;
}

export interface UascProblem {
  field: "uasc" | "ceasedOn";
  message: string;
}

/** The 18th birthday of a yyyy-mm-dd date of birth (29 February's on 1 March). */
export function eighteenthBirthday(dob: string): string {
  const year = String(Number(dob.slice(0, 4)) + 18).padStart(4, "0");
  const candidate = `${year}${dob.slice(4)}`;
  return dob.slice(5) === "02-29" && Number(year) % 4 !== 0 ? `${year}-03-01` : candidate;
}

export function checkUasc(
  status: UascStatus,
  child: { dateOfBirth: string | null },
  today: string,
): UascProblem[] {
  const { ceasedOn } = status;
  if (ceasedOn === null) return [];
  if (!status.uasc) {
    return [
      {
        field: "ceasedOn",
        message:
          "Leave the date empty, or say the child is or was an unaccompanied asylum-seeking child",
      },
    ];
  }
  if (ceasedOn > today) {
    return [{ field: "ceasedOn", message: "The date the status ceased must be today or earlier" }];
  }
  const dob = child.dateOfBirth;
  if (dob && ceasedOn < dob) {
    return [
      {
        field: "ceasedOn",
        message: `The date the status ceased must be on or after the child's birth (${formatDate(dob)})`,
      },
    ];
  }
  if (dob && ceasedOn > eighteenthBirthday(dob)) {
    const eighteen = formatDate(eighteenthBirthday(dob));
    return [
      {
        field: "ceasedOn",
        message: `UASC status ends at 18 at the latest: enter a date on or before the 18th birthday (${eighteen})`,
      },
    ];
  }
  return [];
}
