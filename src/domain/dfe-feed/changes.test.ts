import { describe, expect, it } from "vitest";
import { documentHash, documentItems, withPurges } from "./changes.ts";
import { feedDocumentProblems } from "./validate.ts";

const document = {
  la_code: 938,
  Children: {
    la_child_id: "C0000001",
    mis_child_id: "p1",
    purge: false,
    social_care_episodes: [
      {
        social_care_episode_id: "r2",
        referral_date: "2025-10-02",
        child_in_need_plans: [{ child_in_need_plan_id: "c2", start_date: "2025-10-09" }],
      },
    ],
  },
};

describe("what changed since the DfE last accepted a child", () => {
  it("lists the episodes and items a document holds", () => {
    expect(documentItems(document)).toEqual(["episode:r2", "child_in_need_plans:r2:c2"]);
  });

  it("purges a gone episode whole and a gone item inside its remaining episode", () => {
    const sentBefore = [
      "episode:r1",
      "child_and_family_assessments:r1:a1",
      "episode:r2",
      "child_in_need_plans:r2:c1",
      "child_in_need_plans:r2:c2",
    ];
    const { document: sent, purges } = withPurges(document, sentBefore);
    expect(purges).toBe(2);
    expect(sent.Children).toMatchObject({
      social_care_episodes: [
        {
          social_care_episode_id: "r2",
          child_in_need_plans: [
            { child_in_need_plan_id: "c2", start_date: "2025-10-09" },
            { child_in_need_plan_id: "c1", purge: true },
          ],
        },
        { social_care_episode_id: "r1", purge: true },
      ],
    });
    expect(feedDocumentProblems(sent)).toEqual([]);
    // The document as built is left alone, so its hash is what the next run compares.
    expect(documentHash(document)).not.toBe(documentHash(sent));
    expect(documentItems(document)).toHaveLength(2);
  });

  it("adds nothing when nothing sent before has gone", () => {
    expect(withPurges(document, ["episode:r2"])).toEqual({ document, purges: 0 });
  });
});
