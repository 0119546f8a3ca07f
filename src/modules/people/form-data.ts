import { ethnicities, genders } from "../../domain/code-lists.ts";

const selectItems = (list: readonly { code: string; label: string }[], selected: string | null) => [
  { value: "", text: "Not recorded" },
  ...list.map((entry) => ({
    value: entry.code,
    text: entry.label,
    selected: entry.code === selected,
  })),
];

/** What the person form shows: the values as typed and the sex and ethnicity lists. */
export function personFormData(values: Record<string, unknown>): Record<string, unknown> {
  const asString = (v: unknown): string | null => (typeof v === "string" ? v : null);
  return {
    values,
    sexItems: selectItems(genders, asString(values.sex)),
    ethnicityItems: selectItems(ethnicities, asString(values.ethnicity)),
  };
}
