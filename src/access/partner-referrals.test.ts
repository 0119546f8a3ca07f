import { beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "../../test/support/database.ts";
import { buildWorld, type World } from "../../test/support/world.ts";
import type { Database } from "../platform/database.ts";
import { loadActor } from "./actor.ts";
import { feedbackForReferrer, mayIdentifyReferrals } from "./partner-referrals.ts";
import { personVisible } from "./visibility.ts";

let database: Database;
let world: World;
let contactId: string;
const now = new Date("2026-03-02T10:00:00Z");

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  // A police referral the front door linked to Team B's Kai, not yet decided.
  const contact = await database.db
    .insertInto("contact")
    .values({
      la_id: world.laId,
      received_on: "2026-03-02",
      source: "6",
      reasons: "Found alone at night",
      decision_due_on: "2026-03-03",
      recorded_by: world.users.police.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  contactId = contact.id;
  await database.db
    .insertInto("partner_referral")
    .values({
      la_id: world.laId,
      contact_id: contact.id,
      referred_by: world.users.police.id,
      organisation_id: world.orgs.police,
      child_given_name: "Kai",
      child_family_name: "Brenan",
      referrer_role: "Detective constable",
      referrer_phone: "01632 960 001",
      family_aware: "consented",
      person_id: world.people.childB1,
      identified_by: world.users.tmA.id,
      identified_at: now,
    })
    .execute();
});

async function sees(user: keyof World["users"], at = now): Promise<boolean> {
  const actor = await loadActor(database.db, world.users[user].id);
  if (!actor) throw new Error(`no actor ${user}`);
  const row = await database.db
    .selectFrom("person")
    .select("person.id")
    .where("person.id", "=", world.people.childB1)
    .where(personVisible(actor, at))
    .executeTakeFirst();
  return row !== undefined;
}

describe("the front door's sight of a referred child", () => {
  it("lets the LA's managers see the linked child while the referral awaits a decision, and nobody else new", async () => {
    expect(await sees("tmA")).toBe(true);
    expect(await sees("swB")).toBe(true); // allocated
    expect(await sees("swA")).toBe(false);
    expect(await sees("businessSupportA")).toBe(false);
    expect(await sees("police")).toBe(false);
    expect(await sees("health")).toBe(false);
    expect(await sees("otherLaSw")).toBe(false);
  });

  it("keeps it for the manager who decided, for a week after the decision", async () => {
    await database.db
      .updateTable("contact")
      .set({
        decision: "no_further_action",
        decision_reason: "Known to Team B",
        decided_on: "2026-03-02",
        decided_by: world.users.tmA.id,
      })
      .where("id", "=", contactId)
      .execute();
    expect(await sees("tmA")).toBe(true);
    expect(await sees("tmA", new Date("2026-03-08T10:00:00Z"))).toBe(true);
    expect(await sees("tmA", new Date("2026-03-09T10:00:00Z"))).toBe(false);
  });

  it("is worked by managers only", async () => {
    const manager = await loadActor(database.db, world.users.tmA.id);
    const worker = await loadActor(database.db, world.users.swA.id);
    const police = await loadActor(database.db, world.users.police.id);
    expect(manager && mayIdentifyReferrals(manager)).toBe(true);
    expect(worker && mayIdentifyReferrals(worker)).toBe(false);
    expect(police && mayIdentifyReferrals(police)).toBe(false);
  });
});

describe("what the referrer is told", () => {
  it("gives the decision and its date once decided, and nothing of either before", () => {
    expect(feedbackForReferrer({ identified: false, decision: null, decided_on: null })).toEqual({
      status: "to_identify",
      decision: null,
      decidedOn: null,
    });
    expect(
      feedbackForReferrer({ identified: true, decision: "assessment", decided_on: "2026-03-03" }),
    ).toEqual({ status: "decided", decision: "assessment", decidedOn: "2026-03-03" });
  });
});
