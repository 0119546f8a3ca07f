/**
 * The DfE's whole list of 2024-25 SSDA903 rules (specs/ssda903/rules_2024_25.csv), read once,
 * so a report can say of every rule Trellis does not run why it did not (decision 0035).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseCsv } from "../../domain/csv.ts";
import type { ListedRule } from "../../domain/ssda903/rules/index.ts";

const RULES_CSV = fileURLToPath(
  new URL("../../../specs/ssda903/rules_2024_25.csv", import.meta.url),
);
let cached: ListedRule[] | undefined;

const quoted = (text: string) => [...text.matchAll(/'([^']*)'/g)].map((m) => m[1] ?? "");

export function listedRules(): ListedRule[] {
  if (cached) return cached;
  const parsed = parseCsv(readFileSync(RULES_CSV, "utf8"));
  if (!parsed.ok) throw new Error(`specs/ssda903/rules_2024_25.csv: ${parsed.message}`);
  cached = parsed.rows.slice(1).map(([code = "", message = "", fields = "", tables = ""]) => ({
    code,
    message,
    fields: quoted(fields),
    tables: quoted(tables),
  }));
  return cached;
}
