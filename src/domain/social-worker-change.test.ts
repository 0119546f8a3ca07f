import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { codesOf, labelFor } from "./code-lists.ts";
import {
  countSocialWorkerChanges,
  socialWorkerChangeLabel,
  socialWorkerChangeReasons,
} from "./social-worker-change.ts";

describe("reasons for a change of social worker", () => {
  it("has unique, trimmed codes and labels", () => {
    const codes = codesOf(socialWorkerChangeReasons);
    expect(new Set(codes).size).toBe(codes.length);
    const labels = socialWorkerChangeReasons.map((r) => r.label);
    expect(new Set(labels).size).toBe(labels.length);
    for (const { code, label } of socialWorkerChangeReasons) {
      expect(code).toMatch(/^[A-Z]{6}$/);
      expect(label.trim()).toBe(label);
    }
  });

  it("puts the DfE guidance in plain words", () => {
    expect(labelFor(socialWorkerChangeReasons, "LEFTRL")).toBe("Social worker left the role");
    expect(labelFor(socialWorkerChangeReasons, "ABSENC")).toMatch(/sickness or parental leave/);
    expect(labelFor(socialWorkerChangeReasons, "TSPROC")).toMatch(/assessment to a long-term/);
    expect(labelFor(socialWorkerChangeReasons, "PCCHAN")).toMatch(/parent, carer or child/);
    expect(labelFor(socialWorkerChangeReasons, "OTHERS")).toBe("Other reason");
    expect(socialWorkerChangeLabel("SWDIED")).toBe("Social worker died");
    expect(socialWorkerChangeLabel("OLDCODE")).toBe("OLDCODE");
  });
});

describe("countSocialWorkerChanges", () => {
  const sw = (workerId: string, startDate: string, role = "social_worker") => ({
    workerId,
    startDate,
    role,
  });

  it("is 0 for no allocation and for the first social worker", () => {
    expect(countSocialWorkerChanges([])).toBe(0);
    expect(countSocialWorkerChanges([sw("a", "2025-01-06")])).toBe(0);
  });

  it("counts each later social worker or team manager, in order of start", () => {
    expect(
      countSocialWorkerChanges([
        sw("c", "2025-09-01", "team_manager"),
        sw("a", "2025-01-06"),
        sw("b", "2025-04-01"),
      ]),
    ).toBe(2);
    // Back to an earlier worker is still a change for the child.
    expect(
      countSocialWorkerChanges([
        sw("a", "2025-01-06"),
        sw("b", "2025-04-01"),
        sw("a", "2025-06-01"),
      ]),
    ).toBe(2);
  });

  it("does not count other practitioners, nor the same worker again straight after", () => {
    expect(
      countSocialWorkerChanges([
        sw("a", "2025-01-06"),
        sw("d", "2025-02-01", "adult_specialist"),
        sw("a", "2025-08-01"),
      ]),
    ).toBe(0);
  });
});

// Guards against drift from the DfE's SSDA903 schema, kept in the repository's specs/ folder.
const schemaPath = fileURLToPath(
  new URL("../../specs/ssda903/SSDA903_schema_2024.yml", import.meta.url),
);

/**
 * The codes of SocialWorker.SW_REASON, read line by line (no YAML dependency): the `code:`
 * entries after `SW_REASON:` within the `SocialWorker:` block, up to its `canbeblank`.
 */
function schemaReasonCodes(yaml: string): string[] {
  const lines = yaml.split(/\r?\n/);
  const module = lines.findIndex((line) => line.trim() === "SocialWorker:");
  if (module < 0) throw new Error("No SocialWorker module in the schema");
  const field = lines.findIndex((line, i) => i > module && line.trim() === "SW_REASON:");
  if (field < 0) throw new Error("No SW_REASON in the SocialWorker module");
  const codes: string[] = [];
  for (const line of lines.slice(field + 1)) {
    if (line.trim().startsWith("canbeblank")) break;
    const match = /code:\s*"([^"]*)"/.exec(line);
    // The 2024 schema has "PCCHAN " with a trailing space: the code is PCCHAN.
    if (match?.[1] !== undefined) codes.push(match[1].trim());
  }
  return codes;
}

describe("agreement with SSDA903_schema_2024.yml", () => {
  it("has the schema's SW_REASON codes, in its order, and no others", () => {
    const codes = schemaReasonCodes(readFileSync(schemaPath, "utf8"));
    expect(codes).toHaveLength(10);
    expect(codesOf(socialWorkerChangeReasons)).toEqual(codes);
  });
});
