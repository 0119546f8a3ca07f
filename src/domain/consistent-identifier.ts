/**
 * The consistent identifier for children (Children Act 2004 s16LC, inserted by the Children's
 * Wellbeing and Schools Act 2026): a record about a child carries the child's NHS number unless
 * an exception applies. When it is missing, the exception is recorded as data (decision 0023).
 */
import { ageOn } from "./dates.ts";

export const identifierExceptions = [
  {
    code: "unlikely_to_help",
    label: "Including it is unlikely to help safeguard or promote the child's welfare",
  },
  {
    code: "more_detrimental",
    label: "Including it would be more detrimental to the child than not including it",
  },
  {
    code: "unknown_delay",
    label: "It is not known, and finding it out would cause unreasonable delay",
  },
] as const;

export type IdentifierException = (typeof identifierExceptions)[number]["code"];

export function exceptionLabel(code: string | null): string | undefined {
  return identifierExceptions.find((e) => e.code === code)?.label;
}

/**
 * Whether the person's record must carry the consistent identifier or an exception: a child,
 * that is someone with a date of birth who is under 18 today. Without a date of birth the
 * record does not say it is a child's, so nothing is required.
 */
export function needsConsistentIdentifier(dateOfBirth: string | null, today: string): boolean {
  if (!dateOfBirth || dateOfBirth > today) return false;
  return ageOn(dateOfBirth, today) < 18;
}
