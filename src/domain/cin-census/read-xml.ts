/**
 * Reads a CIN census XML file made by any system into the census model, safely: a file with
 * a DOCTYPE is refused before parsing (so no DTD, no entity expansion and nothing external is
 * ever fetched), as is one over the size limit, one that is not well-formed XML, and one that
 * is not the census structure (a Message with Children of Child). Values are kept as text so
 * the rules, not the reader, say what is wrong with them.
 */
import { readFile, stat } from "node:fs/promises";
import { XMLParser } from "fast-xml-parser";
import { SyntaxValidator } from "fast-xml-validator";
import type {
  Assessment,
  ChildProtectionPlan,
  CinCensus,
  CinChild,
  CinDetails,
  CinHeader,
  CinPlanDates,
  Section47,
} from "./model.ts";

/** Larger than any council's census (15,000 children is about 25 MB). */
export const DEFAULT_MAX_BYTES = 100 * 1024 * 1024;

export type ReadResult = { ok: true; census: CinCensus } | { ok: false; message: string };

const refuse = (message: string): ReadResult => ({ ok: false, message });

/** Elements the schema lets repeat: always read as lists, even when there is one. */
const lists = new Set([
  "Source",
  "Child",
  "CINdetails",
  "Assessments",
  "CINPlanDates",
  "Section47",
  "ChildProtectionPlans",
  "Disability",
  "AssessmentFactors",
  "CPPreviewDate",
]);

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
  isArray: (name) => lists.has(name),
});

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A leaf's text; an element with children where text belongs reads as "" (then fails). */
function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return text(value[0]);
  if (isNode(value) && typeof value["#text"] === "string") return value["#text"];
  return "";
}

/** xs:date may carry a time zone ("2024-05-01Z"); the rules compare the day alone. */
function day(value: unknown): string | undefined {
  const t = text(value);
  return t !== undefined && /^\d{4}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})$/.test(t) ? t.slice(0, 10) : t;
}

function nodes(value: unknown): Node[] {
  const items = Array.isArray(value) ? (value as unknown[]) : value === undefined ? [] : [value];
  return items.map((item) => (isNode(item) ? item : {}));
}

function texts(value: unknown): string[] {
  const items = Array.isArray(value) ? (value as unknown[]) : value === undefined ? [] : [value];
  return items.map((item) => text(item) ?? "");
}

/** Drops absent values so the model's optional fields are absent, not undefined. */
function defined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;
}

/** The 2024 schema's GenderCurrent codes, as the rules' Sex codes (decision 0027). */
const genderToSex: Record<string, string> = { "1": "M", "2": "F", "0": "U", "9": "U" };

function sexOf(ids: Node): string | undefined {
  const sex = text(ids.Sex);
  if (sex !== undefined) return sex;
  const gender = text(ids.GenderCurrent);
  return gender === undefined ? undefined : (genderToSex[gender] ?? gender);
}

function readHeader(message: Node): CinHeader {
  const header = isNode(message.Header) ? message.Header : {};
  const details = isNode(header.CollectionDetails) ? header.CollectionDetails : {};
  const source = nodes(header.Source)[0] ?? {};
  return defined({
    Collection: text(details.Collection),
    Year: text(details.Year),
    ReferenceDate: day(details.ReferenceDate),
    LEA: text(source.LEA),
    SoftwareCode: text(source.SoftwareCode),
    Release: text(source.Release),
    SerialNo: text(source.SerialNo),
    DateTime: text(source.DateTime),
  });
}

function readAssessment(a: Node): Assessment {
  const factors = isNode(a.FactorsIdentifiedAtAssessment)
    ? texts(a.FactorsIdentifiedAtAssessment.AssessmentFactors)
    : undefined;
  return defined({
    AssessmentActualStartDate: day(a.AssessmentActualStartDate),
    AssessmentInternalReviewDate: day(a.AssessmentInternalReviewDate),
    AssessmentAuthorisationDate: day(a.AssessmentAuthorisationDate),
    AssessmentFactors: factors ?? (a.FactorsIdentifiedAtAssessment !== undefined ? [] : undefined),
  });
}

function readPlan(p: Node): CinPlanDates {
  return defined({
    CINPlanStartDate: day(p.CINPlanStartDate),
    CINPlanEndDate: day(p.CINPlanEndDate),
  });
}

function readSection47(s: Node): Section47 {
  return defined({
    S47ActualStartDate: day(s.S47ActualStartDate),
    InitialCPCtarget: day(s.InitialCPCtarget),
    DateOfInitialCPC: day(s.DateOfInitialCPC),
    ICPCnotRequired: text(s.ICPCnotRequired),
  });
}

function readProtectionPlan(p: Node): ChildProtectionPlan {
  return defined({
    CPPstartDate: day(p.CPPstartDate),
    CPPendDate: day(p.CPPendDate),
    InitialCategoryOfAbuse: text(p.InitialCategoryOfAbuse),
    LatestCategoryOfAbuse: text(p.LatestCategoryOfAbuse),
    NumberOfPreviousCPP: text(p.NumberOfPreviousCPP),
    CPPreviewDate:
      p.Reviews === undefined
        ? undefined
        : isNode(p.Reviews)
          ? texts(p.Reviews.CPPreviewDate).map((r) => day(r) ?? "")
          : [""],
  });
}

function readEpisode(e: Node): CinDetails {
  return {
    ...defined({
      CINreferralDate: day(e.CINreferralDate),
      ReferralSource: text(e.ReferralSource),
      PrimaryNeedCode: text(e.PrimaryNeedCode),
      CINclosureDate: day(e.CINclosureDate),
      ReasonForClosure: text(e.ReasonForClosure),
      DateOfInitialCPC: day(e.DateOfInitialCPC),
      ReferralNFA: text(e.ReferralNFA),
    }),
    Assessments: nodes(e.Assessments).map(readAssessment),
    CINPlanDates: nodes(e.CINPlanDates).map(readPlan),
    Section47: nodes(e.Section47).map(readSection47),
    ChildProtectionPlans: nodes(e.ChildProtectionPlans).map(readProtectionPlan),
  };
}

function readChild(c: Node): CinChild {
  const ids = isNode(c.ChildIdentifiers) ? c.ChildIdentifiers : {};
  const traits = isNode(c.ChildCharacteristics) ? c.ChildCharacteristics : {};
  return {
    ChildIdentifiers: defined({
      LAchildID: text(ids.LAchildID),
      UPN: text(ids.UPN),
      FormerUPN: text(ids.FormerUPN),
      UPNunknown: text(ids.UPNunknown),
      PersonBirthDate: day(ids.PersonBirthDate),
      ExpectedPersonBirthDate: day(ids.ExpectedPersonBirthDate),
      Sex: sexOf(ids),
      PersonDeathDate: day(ids.PersonDeathDate),
    }),
    ChildCharacteristics: defined({
      Ethnicity: text(traits.Ethnicity),
      Disabilities: isNode(traits.Disabilities) ? texts(traits.Disabilities.Disability) : undefined,
    }),
    CINdetails: nodes(c.CINdetails).map(readEpisode),
  };
}

/** Reads census XML from text. `maxBytes` bounds the text's UTF-8 size. */
export function readCensusXml(xml: string, maxBytes = DEFAULT_MAX_BYTES): ReadResult {
  const size = Buffer.byteLength(xml, "utf8");
  if (size > maxBytes) {
    return refuse(
      `The file is too large to be a CIN census (${String(Math.ceil(size / 1048576))} MB; the limit is ${String(Math.floor(maxBytes / 1048576))} MB).`,
    );
  }
  const body = xml.replace(/^\uFEFF/, "").trimStart();
  if (!body.startsWith("<")) return refuse("The file is not XML: it does not begin with a tag.");
  // Checked on the raw text, before any parser sees it: a DTD is how entity bombs and external
  // entities arrive, and the census schema never needs one.
  if (/<!DOCTYPE/i.test(body) || /<!ENTITY/i.test(body)) {
    return refuse(
      "The file declares a DOCTYPE (a DTD or entities), which a CIN census never has; it was not read.",
    );
  }
  try {
    SyntaxValidator.validate(body);
  } catch (error) {
    const e = error as { message?: string; line?: number };
    const where = typeof e.line === "number" ? ` (line ${String(e.line)})` : "";
    return refuse(`The file is not well-formed XML: ${e.message ?? String(error)}${where}.`);
  }
  let parsed: unknown;
  try {
    parsed = parser.parse(body);
  } catch (error) {
    return refuse(
      `The file could not be read as XML: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const message = isNode(parsed) && isNode(parsed.Message) ? parsed.Message : undefined;
  if (!message) {
    return refuse("The file is XML but not a CIN census: its root element is not <Message>.");
  }
  if (!isNode(message.Children) || !Array.isArray(message.Children.Child)) {
    return refuse(
      "The file is XML but not a CIN census: <Message> has no <Children> with <Child> records.",
    );
  }
  const children = nodes(message.Children.Child).map(readChild);
  return { ok: true, census: { header: readHeader(message), children } };
}

/** Reads a census file from disk, refusing one over the limit before reading it. */
export async function readCensusFile(
  file: string,
  maxBytes = DEFAULT_MAX_BYTES,
): Promise<ReadResult> {
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) return refuse(`${file} is not a file.`);
    size = info.size;
  } catch {
    return refuse(`${file} cannot be opened: there is no such file, or it cannot be read.`);
  }
  if (size > maxBytes) {
    return refuse(
      `The file is too large to be a CIN census (${String(Math.ceil(size / 1048576))} MB; the limit is ${String(Math.floor(maxBytes / 1048576))} MB).`,
    );
  }
  const bytes = await readFile(file);
  const xml = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  if (xml.includes("\u0000")) return refuse("The file is not XML: it holds binary data.");
  return readCensusXml(xml, maxBytes);
}
