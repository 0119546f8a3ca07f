import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { codesOf, labelFor, type CodeList } from "./code-lists.ts";
import {
  legalStatuses,
  missingKinds,
  placementProviders,
  placementTypes,
  reasonsEpisodeCeased,
  reasonsForNewEpisode,
  reviewParticipation,
} from "./ssda903.ts";

/** Each list with the schema table and column it copies. */
const lists: [string, string, CodeList][] = [
  ["Episodes", "LS", legalStatuses],
  ["Episodes", "PLACE", placementTypes],
  ["Episodes", "PLACE_PROVIDER", placementProviders],
  ["Episodes", "RNE", reasonsForNewEpisode],
  ["Episodes", "REC", reasonsEpisodeCeased],
  ["Reviews", "REVIEW_CODE", reviewParticipation],
  ["Missing", "MISSING", missingKinds],
];

describe.each(lists)("%s %s", (_table, _column, list) => {
  it("has unique codes and unique, tidy labels", () => {
    expect(list.length).toBeGreaterThan(0);
    expect(new Set(codesOf(list)).size).toBe(list.length);
    expect(new Set(list.map((e) => e.label)).size).toBe(list.length);
    for (const { code, label } of list) {
      expect(code).toMatch(/^[A-Z0-9]+$/);
      expect(label).not.toBe("");
      expect(label.trim()).toBe(label);
    }
  });
});

describe("labels", () => {
  it("say what the codes mean", () => {
    expect(labelFor(legalStatuses, "C2")).toBe("Full care order");
    expect(labelFor(legalStatuses, "V2")).toMatch(/section 20/);
    expect(labelFor(placementTypes, "U6")).toBe(
      "Fostered with other foster carers: other fostering",
    );
    expect(labelFor(reasonsForNewEpisode, "S")).toBe("Started to be looked after");
    expect(labelFor(reasonsEpisodeCeased, "X1")).toMatch(/new one began the same day/);
    expect(labelFor(reviewParticipation, "PN0")).toMatch(/under 4/);
    expect(labelFor(missingKinds, "A")).toBe("Away from placement without authorisation");
  });
});

/**
 * The category codes of every column in the schema, keyed "Table.COLUMN". The schema is plain
 * nested YAML, so following indentation is enough; codes are trimmed because the schema has a
 * stray space in one of them.
 */
function schemaCategories(yaml: string): Map<string, string[]> {
  const categories = new Map<string, string[]>();
  const path: { indent: number; key: string }[] = [];
  for (const line of yaml.split(/\r?\n/)) {
    const code = /^\s*-\s*code:\s*"([^"]*)"/.exec(line);
    if (code) {
      const [table, column] = path.slice(1, 3).map((p) => p.key);
      const key = `${table ?? ""}.${column ?? ""}`;
      categories.set(key, [...(categories.get(key) ?? []), (code[1] ?? "").trim()]);
      continue;
    }
    const entry = /^(\s*)([A-Za-z0-9_]+):/.exec(line);
    if (!entry) continue;
    const indent = entry[1]?.length ?? 0;
    while (path.length > 0 && (path[path.length - 1]?.indent ?? 0) >= indent) path.pop();
    path.push({ indent, key: entry[2] ?? "" });
  }
  return categories;
}

// The schema is kept in the repository's specs/ folder.
const schemaPath = fileURLToPath(
  new URL("../../specs/ssda903/SSDA903_schema_2024.yml", import.meta.url),
);

describe("agreement with SSDA903_schema_2024.yml", () => {
  const schema = schemaCategories(readFileSync(schemaPath, "utf8"));

  it("reads the schema's category columns", () => {
    expect(schema.get("Episodes.RNE")).toEqual(["S", "L", "P", "T", "B", "U"]);
    // The stray space in the social worker reasons is trimmed.
    expect(schema.get("SocialWorker.SW_REASON")).toContain("PCCHAN");
  });

  it.each(lists)("%s %s: the same codes, in the same order", (table, column, list) => {
    expect(codesOf(list)).toEqual(schema.get(`${table}.${column}`));
  });
});
