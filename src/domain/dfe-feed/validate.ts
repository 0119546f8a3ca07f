import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject } from "ajv";
import addFormats from "ajv-formats";

/**
 * Checks a document against Trellis's JSON Schema of the DfE's feed
 * (specs/dfe-csc-api/child.schema.json, written from the specification's field list), so a
 * document that would be refused is caught before it is sent.
 */
const schema = JSON.parse(
  readFileSync(new URL("../../../specs/dfe-csc-api/child.schema.json", import.meta.url), "utf8"),
) as object;

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats.default(ajv, ["date"]);
const check = ajv.compile(schema);

export interface FeedProblem {
  path: string;
  message: string;
}

export function feedDocumentProblems(document: unknown): FeedProblem[] {
  if (check(document)) return [];
  return (check.errors ?? []).map((e: ErrorObject) => ({
    path: e.instancePath || "/",
    message: e.message ?? "is not valid",
  }));
}
