import { describe, expect, it } from "vitest";
import { buildOc3, type Oc3YoungPerson } from "./oc3.ts";
import { tableColumns, type Row } from "./model.ts";
import { validate903 } from "./rules/index.ts";

const left = (startDate: string, endDate: string) => ({ startDate, endDate, legalStatus: "C2" });

/** In 2024-25 (1 April 2024 to 31 March 2025). */
const people: Oc3YoungPerson[] = [
  // 18 on 1 May 2024, left care at 17: in touch.
  {
    child: "R1",
    dob: "2006-05-01",
    episodes: [left("2020-09-01", "2023-09-01")],
    statuses: [],
    contacts: [
      {
        contactOn: "2024-03-01",
        birthdayAge: 18,
        inTouch: "NO",
        activity: null,
        accommodation: null,
      },
      {
        contactOn: "2024-05-10",
        birthdayAge: 18,
        inTouch: "YES",
        activity: "F2",
        accommodation: "E1",
      },
    ],
  },
  // 21 on 3 March 2025, in care elsewhere (recorded, no episodes here): refuses contact.
  {
    child: "R2",
    dob: "2004-03-03",
    episodes: [],
    statuses: [{ status: "former_relevant", effectiveOn: "2022-03-03" }],
    contacts: [
      {
        contactOn: "2025-02-01",
        birthdayAge: 21,
        inTouch: "REFU",
        activity: null,
        accommodation: null,
      },
    ],
  },
  // 17 on 1 July 2024 but still looked after on the day: not in the table.
  {
    child: "R3",
    dob: "2007-07-01",
    episodes: [{ startDate: "2021-01-01", endDate: null, legalStatus: "C2" }],
    statuses: [],
    contacts: [],
  },
  // 19 on 9 September 2024, returned home for good: blank activity and accommodation.
  {
    child: "R4",
    dob: "2005-09-09",
    episodes: [left("2020-01-01", "2023-01-01")],
    statuses: [],
    contacts: [
      {
        contactOn: "2024-09-01",
        birthdayAge: 19,
        inTouch: "RHOM",
        activity: null,
        accommodation: null,
      },
    ],
  },
  // 20 in the year, never a care leaver (care ended at 12): not in the table.
  {
    child: "R5",
    dob: "2004-06-01",
    episodes: [left("2015-01-01", "2016-06-01")],
    statuses: [],
    contacts: [],
  },
  // 18 on 1 February 2025, a care leaver with no contact recorded: a blank row for rule 131.
  {
    child: "R6",
    dob: "2007-02-01",
    episodes: [left("2022-01-01", "2024-01-01")],
    statuses: [],
    contacts: [],
  },
];

describe("the OC3 table", () => {
  const rows = buildOc3("2024-25", people);

  it("holds the care leavers with a 17th to 21st birthday in the year who were not looked after on it", () => {
    expect(rows.map((r) => r.CHILD)).toEqual(["R1", "R2", "R4", "R6"]);
    expect(Object.keys(rows[0] ?? {})).toEqual([...tableColumns.OC3]);
  });

  it("answers from the birthday's latest contact, 0 when not in touch, blank after a return home", () => {
    expect(rows).toEqual([
      { CHILD: "R1", DOB: "01/05/2006", IN_TOUCH: "YES", ACTIV: "F2", ACCOM: "E1" },
      { CHILD: "R2", DOB: "03/03/2004", IN_TOUCH: "REFU", ACTIV: "0", ACCOM: "0" },
      { CHILD: "R4", DOB: "09/09/2005", IN_TOUCH: "RHOM", ACTIV: "", ACCOM: "" },
      { CHILD: "R6", DOB: "01/02/2007", IN_TOUCH: "", ACTIV: "", ACCOM: "" },
    ]);
  });

  it("passes the OC3 rules, but for the young person with no contact, whom rule 131 names", () => {
    const header: Row[] = rows.map((r) => ({
      CHILD: r.CHILD ?? "",
      SEX: "1",
      DOB: r.DOB ?? "",
      ETHNIC: "WBRI",
      UPN: "UN2",
      MOTHER: "",
      MC_DOB: "",
    }));
    const failures = validate903({ Header: header, Episodes: [], OC3: rows }, "2024-25").filter(
      (f) => f.table === "OC3",
    );
    expect(failures.map((f) => [f.rule, f.childId])).toEqual([["131", "R6"]]);
  });
});
