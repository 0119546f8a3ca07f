import { describe, expect, it } from "vitest";
import { childDocument, type FeedChild } from "./document.ts";
import { feedDocumentProblems } from "./validate.ts";

const child: FeedChild = {
  laCode: 938,
  personId: "0b6f1f7e-3c1a-4d8e-9a57-1d1f6c2b9a10",
  laChildId: "C000123",
  purge: false,
  details: {
    upn: "A123456789012",
    givenName: "Amelia",
    familyName: "Hartley",
    dateOfBirth: "2015-03-27",
    sex: "2",
    ethnicity: "WBRI",
    postcode: null,
  },
  episodes: [
    {
      referralId: "r1",
      referralDate: "2025-10-02",
      source: "2A",
      noFurtherAction: false,
      closedOn: null,
      closureReason: null,
      workers: [{ workerId: "w1", startDate: "2025-10-02", endDate: null }],
      assessments: [{ id: "a1", startedOn: "2025-10-03", authorisedOn: null, factors: ["2A"] }],
      cinPlans: [],
      section47s: [
        { id: "s1", startedOn: "2025-11-12", icpcRequired: true, icpcOn: null, completedOn: null },
      ],
      cpPlans: [{ id: "p1", startDate: "2025-11-28", endDate: null, purge: true }],
      placements: [],
    },
  ],
};

describe("the DfE daily feed's child document", () => {
  it("is built from the records in the specification's structure and passes its schema", () => {
    const document = childDocument(child);
    expect(document).toEqual({
      la_code: 938,
      Children: {
        la_child_id: "C000123",
        mis_child_id: child.personId,
        purge: false,
        child_details: {
          unique_pupil_number: "A123456789012",
          first_name: "Amelia",
          surname: "Hartley",
          date_of_birth: "2015-03-27",
          sex: "F",
          ethnicity: "WBRI",
        },
        social_care_episodes: [
          {
            social_care_episode_id: "r1",
            referral_date: "2025-10-02",
            referral_source: "2A",
            referral_no_further_action_flag: false,
            care_worker_details: [{ worker_id: "w1", start_date: "2025-10-02" }],
            child_and_family_assessments: [
              { child_and_family_assessment_id: "a1", start_date: "2025-10-03", factors: ["2A"] },
            ],
            section_47_assessments: [
              {
                section_47_assessment_id: "s1",
                start_date: "2025-11-12",
                icpc_required_flag: true,
              },
            ],
            child_protection_plans: [
              { child_protection_plan_id: "p1", start_date: "2025-11-28", purge: true },
            ],
          },
        ],
      },
    });
    expect(feedDocumentProblems(document)).toEqual([]);
  });

  it("asks the DfE to delete a merged-away child, sending nothing else about them", () => {
    const document = childDocument({ ...child, purge: true });
    expect(document).toEqual({
      la_code: 938,
      Children: { la_child_id: "C000123", mis_child_id: child.personId, purge: true },
    });
    expect(feedDocumentProblems(document)).toEqual([]);
  });

  it("is refused by the schema when a code, a date or a required id is wrong", () => {
    const wrong = childDocument({
      ...child,
      details: child.details && { ...child.details, dateOfBirth: "2015-02-30" },
    });
    expect(feedDocumentProblems(wrong).map((p) => p.path)).toEqual([
      "/Children/child_details/date_of_birth",
    ]);
    expect(feedDocumentProblems({ la_code: 938, Children: { la_child_id: "C1" } })).toEqual([
      { path: "/Children", message: "must have required property 'mis_child_id'" },
    ]);
    expect(
      feedDocumentProblems({ ...childDocument(child), extra: "not in the specification" }),
    ).toEqual([{ path: "/", message: "must NOT have additional properties" }]);
  });
});
