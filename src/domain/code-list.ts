/** The shape of a code list and the plain functions on one (the lists are in code-lists.ts). */

export interface CodeListEntry<C extends string = string> {
  readonly code: C;
  readonly label: string;
}

export type CodeList<C extends string = string> = readonly CodeListEntry<C>[];

/** The union of codes in a list, e.g. `CodeOf<typeof genders>` is "0" | "1" | "2" | "9". */
export type CodeOf<L extends CodeList> = L[number]["code"];

/**
 * The label for a code. A code typed as one of the list's codes always has a label; a plain
 * string (say, read from an older record) may not, so that form can return `undefined`.
 */
export function labelFor<C extends string>(list: CodeList<C>, code: C): string;
export function labelFor<C extends string>(list: CodeList<C>, code: string): string | undefined;
export function labelFor<C extends string>(list: CodeList<C>, code: string): string | undefined {
  return list.find((entry) => entry.code === code)?.label;
}

/** Narrows an untrusted string (form input, stored value) to one of the list's codes. */
export function isCode<C extends string>(list: CodeList<C>, value: unknown): value is C {
  return typeof value === "string" && list.some((entry) => entry.code === value);
}

/** The codes in list order, e.g. to build a `z.enum`. */
export function codesOf<C extends string>(list: CodeList<C>): C[] {
  return list.map((entry) => entry.code);
}
