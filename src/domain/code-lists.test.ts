import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, it, expect } from "vitest";
import {
  assessmentFactors,
  categoriesOfAbuse,
  codesOf,
  disabilities,
  ethnicities,
  genders,
  isCode,
  labelFor,
  lawfulBasesForSharing,
  organisationKinds,
  primaryNeeds,
  reasonsForClosure,
  referralSources,
  type CodeList,
  type EthnicityCode,
  type GenderCode,
} from "./code-lists.ts";

const allLists: Record<string, CodeList> = {
  genders,
  ethnicities,
  disabilities,
  referralSources,
  categoriesOfAbuse,
  primaryNeeds,
  reasonsForClosure,
  assessmentFactors,
  lawfulBasesForSharing,
  organisationKinds,
};

describe.each(Object.entries(allLists))("%s", (_name, list) => {
  it("has at least one entry", () => {
    expect(list.length).toBeGreaterThan(0);
  });

  it("has unique codes", () => {
    expect(new Set(codesOf(list)).size).toBe(list.length);
  });

  it("has unique labels", () => {
    expect(new Set(list.map((e) => e.label)).size).toBe(list.length);
  });

  it("has no blank or untrimmed codes and labels", () => {
    for (const { code, label } of list) {
      expect(code).toMatch(/^\S+$/);
      expect(label.trim()).toBe(label);
      expect(label).not.toBe("");
    }
  });
});

describe("labelFor", () => {
  it("finds documented labels", () => {
    expect(labelFor(genders, "1")).toBe("Male");
    expect(labelFor(genders, "0")).toBe("Not recorded or unborn");
    expect(labelFor(ethnicities, "WBRI")).toBe("White British");
    expect(labelFor(ethnicities, "WROM")).toBe("Gypsy/Roma");
    expect(labelFor(ethnicities, "NOBT")).toBe("Information not yet obtained");
    expect(labelFor(referralSources, "6")).toBe("POLICE");
    expect(labelFor(referralSources, "3E")).toBe(
      "HEALTH SERVICES – A&E (accident and emergency department)",
    );
    expect(labelFor(categoriesOfAbuse, "NEG")).toBe("Neglect");
    expect(labelFor(categoriesOfAbuse, "MUL")).toBe("Multiple/not recommended");
    expect(labelFor(primaryNeeds, "N0")).toBe("Not stated");
    expect(labelFor(reasonsForClosure, "RC4")).toBe("Special guardianship order");
    expect(labelFor(disabilities, "DDA")).toBe("Other");
    expect(labelFor(assessmentFactors, "20")).toBe("Other");
    expect(labelFor(assessmentFactors, "24A")).toMatch(/^Child criminal exploitation:/);
    expect(labelFor(organisationKinds, "health")).toBe("Health (NHS)");
    expect(labelFor(lawfulBasesForSharing, "ca1989_s47")).toBe(
      "Children Act 1989 s47 (enquiry into significant harm)",
    );
  });

  it("tidies the two referral source labels that are untidy in the schema", () => {
    expect(labelFor(referralSources, "5D")).toBe("LA SERVICES – early help");
    expect(labelFor(referralSources, "3F")).toBe("HEALTH SERVICES – other (for example hospice)");
  });

  it("returns undefined for an unknown plain string", () => {
    expect(labelFor(ethnicities, "XXXX")).toBeUndefined();
    expect(labelFor(genders, "")).toBeUndefined();
    // Codes are case-sensitive, as in the census.
    expect(labelFor(ethnicities, "wbri")).toBeUndefined();
  });

  it("is typed to return a string for a code of the list", () => {
    const code: GenderCode = "2";
    const label: string = labelFor(genders, code);
    expect(label).toBe("Female");
  });
});

describe("isCode", () => {
  it("narrows known codes and rejects everything else", () => {
    const value: unknown = "AIND";
    expect(isCode(ethnicities, value)).toBe(true);
    if (isCode(ethnicities, value)) {
      const code: EthnicityCode = value;
      expect(code).toBe("AIND");
    }
    for (const bad of ["aind", "", " AIND", 1, null, undefined, {}]) {
      expect(isCode(ethnicities, bad)).toBe(false);
    }
  });
});

describe("codesOf", () => {
  it("lists codes in order", () => {
    expect(codesOf(genders)).toEqual(["0", "1", "2", "9"]);
    expect(codesOf(categoriesOfAbuse)).toEqual(["NEG", "PHY", "SAB", "EMO", "MUL"]);
  });
});

describe("lawfulBasesForSharing", () => {
  it("covers the main gateways for sharing in England", () => {
    expect(codesOf(lawfulBasesForSharing)).toEqual([
      "ca1989_s47",
      "ca1989_s17",
      "ca2004_s10",
      "ca2004_s11",
      "cda1998_s115",
      "consent",
      "ukgdpr_6_1_e",
    ]);
    expect(labelFor(lawfulBasesForSharing, "ukgdpr_6_1_e")).toMatch(/Schedule 1 para 18/);
  });
});

describe("organisationKinds", () => {
  it("has the agencies that take part in multi-agency work", () => {
    expect(organisationKinds).toEqual([
      { code: "la_childrens_services", label: "Children's services" },
      { code: "police", label: "Police" },
      { code: "health", label: "Health (NHS)" },
      { code: "education", label: "Education" },
      { code: "youth_justice", label: "Youth justice" },
      { code: "housing", label: "Housing" },
      { code: "voluntary", label: "Voluntary sector" },
    ]);
  });
});

// Guards against drift from the DfE schema, kept in the repository's specs/ folder.
const xsdPath = fileURLToPath(
  new URL("../../specs/cin-census/CIN_schema_2024.xsd", import.meta.url),
);

/** The enumerations of one named simple type, with their documentation text. */
function schemaEnumerations(xsd: string, typeName: string): Map<string, string> {
  const start = xsd.indexOf(`<xs:simpleType name="${typeName}">`);
  if (start < 0) throw new Error(`No simple type ${typeName} in the schema`);
  const end = xsd.indexOf("</xs:simpleType>", start);
  const body = xsd.slice(start, end);
  const entries = new Map<string, string>();
  const pattern =
    /<xs:enumeration value="([^"]*)"\s*>\s*(?:<xs:annotation>\s*<xs:documentation>([\s\S]*?)<\/xs:documentation>)?/g;
  for (const match of body.matchAll(pattern)) {
    const code = match[1] ?? "";
    const documentation = (match[2] ?? "").replace(/&amp;/g, "&").trim();
    entries.set(code, documentation);
  }
  return entries;
}

describe("agreement with CIN_schema_2024.xsd", () => {
  const xsd = readFileSync(xsdPath, "utf8");

  // Labels we deliberately tidied; everything else must match the schema's documentation.
  const tidied: Record<string, string> = { "referralsourcetype:5D": "LA SERVICES – early help" };

  const censusLists: [string, CodeList][] = [
    ["gendertype", genders],
    ["ethnicitytype", ethnicities],
    ["disabilitytype", disabilities],
    ["referralsourcetype", referralSources],
    ["categoryofabuse", categoriesOfAbuse],
    ["primaryneedcodetype", primaryNeeds],
    ["reasonforclosuretype", reasonsForClosure],
    ["assessmentfactorstype", assessmentFactors],
  ];

  it("has every ethnicity code in the schema, and no others", () => {
    const schemaCodes = [...schemaEnumerations(xsd, "ethnicitytype").keys()];
    expect(schemaCodes).toHaveLength(20);
    expect(new Set(codesOf(ethnicities))).toEqual(new Set(schemaCodes));
  });

  it.each(censusLists)("%s: same codes as the schema", (typeName, list) => {
    const schema = schemaEnumerations(xsd, typeName);
    expect(schema.size).toBeGreaterThan(0);
    expect(new Set(codesOf(list))).toEqual(new Set(schema.keys()));
  });

  it.each(censusLists)("%s: same labels as the schema", (typeName, list) => {
    const schema = schemaEnumerations(xsd, typeName);
    for (const { code, label } of list) {
      expect(label, `${typeName} ${code}`).toBe(tidied[`${typeName}:${code}`] ?? schema.get(code));
    }
  });
});
