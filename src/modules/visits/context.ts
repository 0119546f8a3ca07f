/** The "not before the child's birth" limit for a date, when the date of birth is known. */
export function notBeforeBirth(dateOfBirth: string | null): {
  notBefore?: { date: string; what: string };
} {
  return dateOfBirth ? { notBefore: { date: dateOfBirth, what: "the child's date of birth" } } : {};
}
