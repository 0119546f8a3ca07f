/**
 * Relationships between people on a case. Each is stored once, as "A is <kind> of B", and
 * shown from whichever side the worker is looking: if A is parent of B, A's record lists B as
 * "Child" and B's record lists A as "Parent".
 */

export type RelationshipDirection = "forward" | "inverse";

interface RelationshipKindEntry<C extends string> {
  readonly code: C;
  /** How A is described: "A is <label> of B". */
  readonly label: string;
  /** How B is described when seen from A. Equal to `label` for symmetric kinds. */
  readonly inverseLabel: string;
}

export const relationshipKinds = [
  { code: "parent", label: "Parent", inverseLabel: "Child" },
  { code: "step_parent", label: "Step-parent", inverseLabel: "Stepchild" },
  { code: "foster_carer", label: "Foster carer", inverseLabel: "Foster child" },
  { code: "kinship_carer", label: "Kinship carer", inverseLabel: "Child in kinship care" },
  { code: "grandparent", label: "Grandparent", inverseLabel: "Grandchild" },
  { code: "sibling", label: "Sibling", inverseLabel: "Sibling" },
  { code: "half_sibling", label: "Half-sibling", inverseLabel: "Half-sibling" },
  { code: "partner", label: "Partner", inverseLabel: "Partner" },
  { code: "ex_partner", label: "Ex-partner", inverseLabel: "Ex-partner" },
  { code: "aunt_or_uncle", label: "Aunt or uncle", inverseLabel: "Niece or nephew" },
  { code: "other", label: "Other relationship", inverseLabel: "Other relationship" },
] as const satisfies readonly RelationshipKindEntry<string>[];

export type RelationshipKind = (typeof relationshipKinds)[number]["code"];

function entryFor(kind: RelationshipKind): RelationshipKindEntry<RelationshipKind> {
  const entry = relationshipKinds.find((k) => k.code === kind);
  // Unreachable for a well-typed kind; guards values cast from storage.
  if (!entry) throw new RangeError(`Unknown relationship kind "${kind}"`);
  return entry;
}

/**
 * The label for one side of a stored relationship "A is <kind> of B": `forward` describes A
 * (parent → "Parent"), `inverse` describes B (parent → "Child").
 */
export function describeRelationship(
  kind: RelationshipKind,
  direction: RelationshipDirection,
): string {
  const entry = entryFor(kind);
  return direction === "forward" ? entry.label : entry.inverseLabel;
}

/**
 * Whether "A is <kind> of B" also means "B is <kind> of A". Symmetric relationships should be
 * stored once per pair, not once in each direction.
 */
export function isSymmetricRelationship(kind: RelationshipKind): boolean {
  const entry = entryFor(kind);
  return entry.label === entry.inverseLabel;
}

/** Narrows an untrusted string (form input, stored value) to a relationship kind. */
export function isRelationshipKind(value: unknown): value is RelationshipKind {
  return typeof value === "string" && relationshipKinds.some((k) => k.code === value);
}
