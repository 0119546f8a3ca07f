import { describe, it, expect } from "vitest";
import {
  describeRelationship,
  isRelationshipKind,
  isSymmetricRelationship,
  relationshipKinds,
  type RelationshipKind,
} from "./relationships.ts";

const expected: [RelationshipKind, string, string][] = [
  ["parent", "Parent", "Child"],
  ["step_parent", "Step-parent", "Stepchild"],
  ["foster_carer", "Foster carer", "Foster child"],
  ["kinship_carer", "Kinship carer", "Child in kinship care"],
  ["grandparent", "Grandparent", "Grandchild"],
  ["sibling", "Sibling", "Sibling"],
  ["half_sibling", "Half-sibling", "Half-sibling"],
  ["partner", "Partner", "Partner"],
  ["ex_partner", "Ex-partner", "Ex-partner"],
  ["aunt_or_uncle", "Aunt or uncle", "Niece or nephew"],
  ["other", "Other relationship", "Other relationship"],
];

describe("relationshipKinds", () => {
  it("has exactly the agreed kinds, in order", () => {
    expect(relationshipKinds.map((k) => k.code)).toEqual(expected.map(([kind]) => kind));
  });

  it("has unique codes and labels", () => {
    expect(new Set(relationshipKinds.map((k) => k.code)).size).toBe(relationshipKinds.length);
    expect(new Set(relationshipKinds.map((k) => k.label)).size).toBe(relationshipKinds.length);
  });

  it("uses the forward description as the label", () => {
    for (const { code, label } of relationshipKinds) {
      expect(describeRelationship(code, "forward")).toBe(label);
    }
  });
});

describe("describeRelationship", () => {
  it.each(expected)("%s: forward is %s", (kind, forward) => {
    expect(describeRelationship(kind, "forward")).toBe(forward);
  });

  it.each(expected)("%s: inverse is %s", (kind, _forward, inverse) => {
    expect(describeRelationship(kind, "inverse")).toBe(inverse);
  });

  it("refuses a kind cast from bad data", () => {
    expect(() => describeRelationship("cousin" as RelationshipKind, "forward")).toThrow(RangeError);
  });
});

describe("isSymmetricRelationship", () => {
  it.each(expected)("%s", (kind, forward, inverse) => {
    expect(isSymmetricRelationship(kind)).toBe(forward === inverse);
  });

  it("treats siblings and partners as symmetric and carers as not", () => {
    const symmetric = relationshipKinds.map((k) => k.code).filter(isSymmetricRelationship);
    expect(symmetric).toEqual(["sibling", "half_sibling", "partner", "ex_partner", "other"]);
  });
});

describe("isRelationshipKind", () => {
  it("accepts every kind", () => {
    for (const { code } of relationshipKinds) expect(isRelationshipKind(code)).toBe(true);
  });

  it("rejects anything else", () => {
    for (const bad of ["Parent", "child", "", "cousin", 1, null, undefined]) {
      expect(isRelationshipKind(bad)).toBe(false);
    }
  });
});
