import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cleanCensus } from "./fixture.ts";
import { readCensusFile, readCensusXml } from "./read-xml.ts";
import { validateCensus } from "./rules/index.ts";
import { writeCensusXml } from "./write-xml.ts";

const fixture = (name: string) =>
  new URL(`../../../test/fixtures/cin/${name}`, import.meta.url).pathname;

function refusal(xml: string, maxBytes?: number): string {
  const result = readCensusXml(xml, maxBytes);
  if (result.ok) throw new Error("expected the file to be refused");
  return result.message;
}

describe("reading a CIN census XML file", () => {
  it("reads back what the writer wrote, field for field", () => {
    const census = cleanCensus("2024-25", 2);
    expect(readCensusXml(writeCensusXml(census))).toEqual({ ok: true, census });
  });

  it("reads a file with one of each repeating element as lists, and keeps wrong codes as text", () => {
    const xml = `<?xml version="1.0"?>
      <Message><Header><CollectionDetails><ReferenceDate>2025-03-31Z</ReferenceDate></CollectionDetails>
      <Source><LEA>938</LEA></Source></Header>
      <Children><Child>
        <ChildIdentifiers><LAchildID>X1</LAchildID><Sex>M</Sex></ChildIdentifiers>
        <ChildCharacteristics><Ethnicity>ZZZZ</Ethnicity><Disabilities><Disability>NONE</Disability></Disabilities></ChildCharacteristics>
        <CINdetails><CINreferralDate>2024-05-01</CINreferralDate><ReferralSource>1A</ReferralSource>
          <Assessments><AssessmentActualStartDate>2024-05-02</AssessmentActualStartDate>
            <FactorsIdentifiedAtAssessment><AssessmentFactors>21</AssessmentFactors></FactorsIdentifiedAtAssessment></Assessments>
          <ReferralNFA>0</ReferralNFA>
          <ChildProtectionPlans><CPPstartDate>2024-07-01</CPPstartDate><Reviews><CPPreviewDate>2024-09-23</CPPreviewDate></Reviews></ChildProtectionPlans>
        </CINdetails>
      </Child></Children></Message>`;
    const result = readCensusXml(xml);
    if (!result.ok) throw new Error(result.message);
    const child = result.census.children[0];
    expect(result.census.header).toEqual({ ReferenceDate: "2025-03-31", LEA: "938" });
    expect(child?.ChildIdentifiers).toEqual({ LAchildID: "X1", Sex: "M" });
    expect(child?.ChildCharacteristics).toEqual({ Ethnicity: "ZZZZ", Disabilities: ["NONE"] });
    expect(child?.CINdetails[0]?.Assessments[0]?.AssessmentFactors).toEqual(["21"]);
    expect(child?.CINdetails[0]?.ChildProtectionPlans[0]?.CPPreviewDate).toEqual(["2024-09-23"]);
    expect(child?.CINdetails[0]?.Section47).toEqual([]);
  });

  it("maps the 2024 schema's GenderCurrent codes to the rules' Sex codes", () => {
    const xml = (g: string) =>
      `<Message><Children><Child><ChildIdentifiers><GenderCurrent>${g}</GenderCurrent></ChildIdentifiers></Child></Children></Message>`;
    const sexOf = (g: string) => {
      const r = readCensusXml(xml(g));
      return r.ok ? r.census.children[0]?.ChildIdentifiers.Sex : r.message;
    };
    expect(["1", "2", "0", "9", "7"].map(sexOf)).toEqual(["M", "F", "U", "U", "7"]);
  });

  it("refuses an entity bomb without expanding it", () => {
    expect(refusal(readFileSync(fixture("entity-bomb.xml"), "utf8"))).toMatch(/DOCTYPE/);
  });

  it("refuses an external entity without fetching it", () => {
    expect(refusal(readFileSync(fixture("external-entity.xml"), "utf8"))).toMatch(/DOCTYPE/);
  });

  it("refuses a DOCTYPE however it is spelt, even without entities", () => {
    expect(refusal('<?xml version="1.0"?><!doctype Message SYSTEM "cin.dtd"><Message/>')).toMatch(
      /DOCTYPE/,
    );
  });

  it("refuses what is not XML, malformed XML and XML that is not the census", () => {
    expect(refusal("LAchildID,UPN\nC1,A123")).toMatch(/not XML/);
    expect(refusal("<Message><Children></Message>")).toMatch(/not well-formed/);
    expect(refusal("<html><body>hello</body></html>")).toMatch(/not a CIN census.*<Message>/);
    expect(refusal("<Message><Header/></Message>")).toMatch(/no <Children>/);
  });

  it("refuses a file over the size limit", async () => {
    const xml = writeCensusXml(cleanCensus("2024-25", 2));
    expect(refusal(xml, 1024)).toMatch(/too large/);
    const file = await readCensusFile(fixture("clean-2024-25.xml"), 1024);
    expect(file).toEqual({ ok: false, message: expect.stringMatching(/too large/) as unknown });
  });

  it("says when the file is missing", async () => {
    const result = await readCensusFile(fixture("no-such-file.xml"));
    expect(result).toEqual({
      ok: false,
      message: expect.stringMatching(/cannot be opened/) as unknown,
    });
  });

  it("reads the fixture files the command-line tests use", async () => {
    const clean = await readCensusFile(fixture("clean-2024-25.xml"));
    const errors = await readCensusFile(fixture("errors-2024-25.xml"));
    if (!clean.ok || !errors.ok) throw new Error("fixtures unreadable");
    expect(validateCensus(clean.census, "2024-25")).toEqual([]);
    expect(new Set(validateCensus(errors.census, "2024-25").map((f) => f.rule))).toEqual(
      new Set(["8610", "8510", "8585Q"]),
    );
  });
});
