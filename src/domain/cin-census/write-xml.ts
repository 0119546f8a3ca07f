/**
 * Writes a census model as XML in the schema's element order, for fixtures and benchmarks
 * (and, later, the generated return). Sex is written as the 2024 schema's GenderCurrent.
 */
import type { CinCensus, CinChild, CinDetails } from "./model.ts";

const sexToGender: Record<string, string> = { M: "1", F: "2", U: "0" };

const special = /[&<>]/;

function escape(value: string): string {
  // Almost every value is a code or a date: test before replacing (a council's file is 40 MB).
  if (!special.test(value)) return value;
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** `<Name>value</Name>` for each present field, in the order given. */
function leaves(record: object, names: readonly string[], indent: string): string {
  const values = record as Record<string, unknown>;
  let out = "";
  for (const name of names) {
    const value = values[name];
    if (typeof value === "string") out += `${indent}<${name}>${escape(value)}</${name}>\n`;
  }
  return out;
}

function episode(e: CinDetails): string {
  const i = "        ";
  let out = leaves(
    e,
    [
      "CINreferralDate",
      "ReferralSource",
      "PrimaryNeedCode",
      "CINclosureDate",
      "ReasonForClosure",
      "DateOfInitialCPC",
    ],
    i,
  );
  for (const a of e.Assessments) {
    out += `${i}<Assessments>\n`;
    out += leaves(
      a,
      ["AssessmentActualStartDate", "AssessmentInternalReviewDate", "AssessmentAuthorisationDate"],
      `${i}  `,
    );
    if (a.AssessmentFactors) {
      out += `${i}  <FactorsIdentifiedAtAssessment>\n`;
      for (const f of a.AssessmentFactors)
        out += `${i}    <AssessmentFactors>${escape(f)}</AssessmentFactors>\n`;
      out += `${i}  </FactorsIdentifiedAtAssessment>\n`;
    }
    out += `${i}</Assessments>\n`;
  }
  for (const p of e.CINPlanDates) {
    out += `${i}<CINPlanDates>\n${leaves(p, ["CINPlanStartDate", "CINPlanEndDate"], `${i}  `)}${i}</CINPlanDates>\n`;
  }
  for (const s of e.Section47) {
    out += `${i}<Section47>\n${leaves(s, ["S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired"], `${i}  `)}${i}</Section47>\n`;
  }
  out += leaves(e, ["ReferralNFA"], i);
  for (const p of e.ChildProtectionPlans) {
    out += `${i}<ChildProtectionPlans>\n`;
    out += leaves(
      p,
      [
        "CPPstartDate",
        "CPPendDate",
        "InitialCategoryOfAbuse",
        "LatestCategoryOfAbuse",
        "NumberOfPreviousCPP",
      ],
      `${i}  `,
    );
    if (p.CPPreviewDate) {
      out += `${i}  <Reviews>\n`;
      for (const r of p.CPPreviewDate)
        out += `${i}    <CPPreviewDate>${escape(r)}</CPPreviewDate>\n`;
      out += `${i}  </Reviews>\n`;
    }
    out += `${i}</ChildProtectionPlans>\n`;
  }
  return out;
}

function child(c: CinChild): string {
  const ids = c.ChildIdentifiers;
  const gender = ids.Sex === undefined ? undefined : (sexToGender[ids.Sex] ?? ids.Sex);
  let out = "    <Child>\n      <ChildIdentifiers>\n";
  out += leaves(
    ids,
    ["LAchildID", "UPN", "FormerUPN", "UPNunknown", "PersonBirthDate", "ExpectedPersonBirthDate"],
    "        ",
  );
  if (gender !== undefined) out += `        <GenderCurrent>${escape(gender)}</GenderCurrent>\n`;
  out += leaves(ids, ["PersonDeathDate"], "        ");
  out += "      </ChildIdentifiers>\n      <ChildCharacteristics>\n";
  out += leaves(c.ChildCharacteristics, ["Ethnicity"], "        ");
  const disabilities = c.ChildCharacteristics.Disabilities;
  if (disabilities) {
    out += "        <Disabilities>\n";
    for (const d of disabilities) out += `          <Disability>${escape(d)}</Disability>\n`;
    out += "        </Disabilities>\n";
  }
  out += "      </ChildCharacteristics>\n";
  for (const e of c.CINdetails) out += `      <CINdetails>\n${episode(e)}      </CINdetails>\n`;
  return `${out}    </Child>\n`;
}

export function writeCensusXml(census: CinCensus): string {
  const h = census.header;
  let out =
    '<?xml version="1.0" encoding="UTF-8"?>\n<Message>\n  <Header>\n    <CollectionDetails>\n';
  out += leaves(h, ["Collection", "Year", "ReferenceDate"], "      ");
  out += "    </CollectionDetails>\n    <Source>\n      <SourceLevel>L</SourceLevel>\n";
  out += leaves(h, ["LEA", "SoftwareCode", "Release", "SerialNo", "DateTime"], "      ");
  out += "    </Source>\n  </Header>\n  <Children>\n";
  for (const c of census.children) out += child(c);
  return `${out}  </Children>\n</Message>\n`;
}
