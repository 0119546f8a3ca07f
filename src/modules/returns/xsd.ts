/**
 * Checks a CIN census file against the DfE's XML schema (specs/cin-census/CIN_schema_2024.xsd)
 * with libxml2's xmllint compiled to WebAssembly (xmllint-wasm), so no system package is
 * needed. libxml2 is not asked to load DTDs or external entities: the file is our own, and the
 * schema is read from the repository, never fetched.
 */
import { readFileSync } from "node:fs";
import { memoryPages, validateXML } from "xmllint-wasm";

const schemaUrl = new URL("../../../specs/cin-census/CIN_schema_2024.xsd", import.meta.url);
let schemaText: string | undefined;

/** One of the schema's complaints, with the child it is about when there is one. */
export interface SchemaError {
  message: string;
  line?: number;
  /** The LAchildID of the <Child> the line falls in. */
  childId?: string;
}

export interface SchemaVerdict {
  valid: boolean;
  /** The schema's complaints, at most the first 50. */
  errors: SchemaError[];
}

/**
 * The line each <Child> starts on and its LAchildID, in file order, so that a complaint's line
 * names the child (a performance officer fixes a child, not line 81,204). Read only when the
 * schema complains.
 */
function childrenByLine(xml: string, lastLine: number): { line: number; childId: string }[] {
  const found: { line: number; childId: string }[] = [];
  let line = 1;
  let counted = 0;
  for (let at = xml.indexOf("<Child>"); at !== -1; at = xml.indexOf("<Child>", at + 1)) {
    for (
      let nl = xml.indexOf("\n", counted);
      nl !== -1 && nl < at;
      nl = xml.indexOf("\n", nl + 1)
    ) {
      line++;
      counted = nl + 1;
    }
    if (line > lastLine) break;
    const open = xml.indexOf("<LAchildID>", at);
    const close = xml.indexOf("</LAchildID>", open);
    if (open === -1 || close === -1) break;
    found.push({ line, childId: xml.slice(open + "<LAchildID>".length, close) });
  }
  return found;
}

/** The child whose <Child> element holds `line`: the last child starting on or before it. */
function childAt(children: readonly { line: number; childId: string }[], line: number) {
  let low = 0;
  let high = children.length - 1;
  let best: string | undefined;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const child = children[mid];
    if (child && child.line <= line) {
      best = child.childId;
      low = mid + 1;
    } else high = mid - 1;
  }
  return best;
}

/**
 * libxml2 runs in its own worker thread: the file is handed to it before this returns its
 * promise, so a caller can run the DfE's rules on the main thread meanwhile (cin-run.ts).
 */
export async function validateAgainstCinSchema(xml: string): Promise<SchemaVerdict> {
  schemaText ??= readFileSync(schemaUrl, "utf8");
  const schema = schemaText;
  // A large council's file is tens of MB: give libxml2 room in proportion.
  const pages = Math.min(memoryPages.GiB, 256 + Math.ceil((Buffer.byteLength(xml) * 8) / 65536));
  const result = await validateXML({
    xml: [{ fileName: "cin.xml", contents: xml }],
    schema: [{ fileName: "CIN_schema_2024.xsd", contents: schema }],
    maxMemoryPages: pages,
  });
  const complaints = result.errors.slice(0, 50);
  const lastLine = Math.max(0, ...complaints.map((e) => e.loc?.lineNumber ?? 0));
  const children = lastLine > 0 ? childrenByLine(xml, lastLine) : [];
  return {
    valid: result.valid,
    errors: complaints.map((e) => {
      const line = e.loc?.lineNumber;
      const childId = line === undefined ? undefined : childAt(children, line);
      return {
        message: e.message.trim(),
        ...(line === undefined ? {} : { line }),
        ...(childId === undefined ? {} : { childId }),
      };
    }),
  };
}
