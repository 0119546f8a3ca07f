/**
 * Checks a CIN census file against the DfE's XML schema (specs/cin-census/CIN_schema_2024.xsd)
 * with libxml2's xmllint compiled to WebAssembly (xmllint-wasm), so no system package is
 * needed. libxml2 is not asked to load DTDs or external entities: the file is our own, and the
 * schema is read from the repository, never fetched.
 */
import { readFile } from "node:fs/promises";
import { memoryPages, validateXML } from "xmllint-wasm";

const schemaUrl = new URL("../../../specs/cin-census/CIN_schema_2024.xsd", import.meta.url);
let schemaText: Promise<string> | undefined;

export interface SchemaVerdict {
  valid: boolean;
  /** The schema's complaints, each with its line in the file; at most the first 50. */
  errors: string[];
}

export async function validateAgainstCinSchema(xml: string): Promise<SchemaVerdict> {
  schemaText ??= readFile(schemaUrl, "utf8");
  const schema = await schemaText;
  // A large council's file is tens of MB: give libxml2 room in proportion.
  const pages = Math.min(memoryPages.GiB, 256 + Math.ceil((Buffer.byteLength(xml) * 8) / 65536));
  const result = await validateXML({
    xml: [{ fileName: "cin.xml", contents: xml }],
    schema: [{ fileName: "CIN_schema_2024.xsd", contents: schema }],
    maxMemoryPages: pages,
  });
  return {
    valid: result.valid,
    errors: result.errors.slice(0, 50).map((e) => {
      const line = e.loc ? `line ${String(e.loc.lineNumber)}: ` : "";
      return `${line}${e.message}`;
    }),
  };
}
