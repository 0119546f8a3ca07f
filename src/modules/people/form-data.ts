import { ethnicities, genders } from "../../domain/code-lists.ts";
import { identifierExceptions } from "../../domain/consistent-identifier.ts";
import { DuplicateNhsNumber } from "./nhs-number.ts";

const selectItems = (list: readonly { code: string; label: string }[], selected: string | null) => [
  { value: "", text: "Not recorded" },
  ...list.map((entry) => ({
    value: entry.code,
    text: entry.label,
    selected: entry.code === selected,
  })),
];

/**
 * What the person form shows: the values as typed, the sex and ethnicity lists, the consistent
 * identifier's exceptions, and the record already holding a duplicate NHS number (only if the
 * user may see it).
 */
export function personFormData(
  values: Record<string, unknown>,
  error?: unknown,
): Record<string, unknown> {
  const asString = (v: unknown): string | null => (typeof v === "string" ? v : null);
  return {
    values,
    sexItems: selectItems(genders, asString(values.sex)),
    ethnicityItems: selectItems(ethnicities, asString(values.ethnicity)),
    exceptionItems: identifierExceptions.map((e) => ({
      value: e.code,
      text: e.label,
      checked: e.code === values.nhsNumberException,
    })),
    duplicateOf: error instanceof DuplicateNhsNumber ? error.existing : undefined,
  };
}
