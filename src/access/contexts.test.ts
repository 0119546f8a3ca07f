import { beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "../../test/support/database.ts";
import { buildWorld, type World } from "../../test/support/world.ts";
import type { Database } from "../platform/database.ts";
import { whoSees, worldActor, type UserKey } from "../../test/support/who-sees.ts";
import { loadActor } from "./actor.ts";
import { contextVisible, mayChangeContext, mayUpdateActionProgress } from "./contexts.ts";

let database: Database;
let world: World;
const now = new Date("2026-03-02T10:00:00Z");
const everyone: UserKey[] = [
  "swA",
  "tmA",
  "adultSpecialistA",
  "businessSupportA",
  "swB",
  "police",
  "health",
  "analyst",
  "admin",
  "otherLaSw",
];
const ids: Record<string, string> = {};

const actor = (key: UserKey) => worldActor(database.db, world, key);
const whoSeesContext = (id: string) =>
  whoSees(database.db, world, everyone, "context_case", id, (a) => contextVisible(a, now, "t"));

async function insertContext(values: {
  kind: "peer_group" | "location" | "school";
  peer_group_id?: string;
  location_id?: string;
  school_organisation_id?: string;
}): Promise<string> {
  const row = await database.db
    .insertInto("context_case")
    .values({
      la_id: world.laId,
      referred_on: "2026-02-02",
      referral_reason: "Concerns raised at the MACE panel",
      referred_by: world.users.swA.id,
      ...values,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  const db = database.db;
  ids.park = (
    await db
      .insertInto("location")
      .values({
        la_id: world.laId,
        name: "Victoria Park",
        kind: "park",
        recorded_by: world.users.swA.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  // The police recorded the group and Amelia's link to it, unshared with other partners.
  ids.group = (
    await db
      .insertInto("peer_group")
      .values({ la_id: world.laId, name: "Eastfield Boys", recorded_by: world.users.police.id })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  await db
    .insertInto("association")
    .values({
      la_id: world.laId,
      child_id: world.people.childA1,
      peer_group_id: ids.group,
      first_seen_on: "2026-01-21",
      source_organisation_id: world.orgs.police,
      source_grading: "2",
      information_grading: "C",
      recorded_by: world.users.police.id,
    })
    .execute();
  ids.placeContext = await insertContext({ kind: "location", location_id: ids.park });
  ids.groupContext = await insertContext({ kind: "peer_group", peer_group_id: ids.group });
  ids.schoolContext = await insertContext({
    kind: "school",
    school_organisation_id: world.orgs.school,
  });
  // Health owns an action at the park.
  await db
    .insertInto("context_action")
    .values({
      la_id: world.laId,
      context_id: ids.placeContext,
      action: "School nurse drop-in near the park",
      owner_organisation_id: world.orgs.health,
      due_on: "2026-04-01",
      recorded_by: world.users.swA.id,
    })
    .execute();
});

describe("who sees a context", () => {
  it("shows a place context to the LA's practitioners with exploitation.view and the partner owning an action", async () => {
    expect(await whoSeesContext(ids.placeContext ?? "")).toEqual([
      "swA",
      "tmA",
      "businessSupportA",
      "swB",
      "health",
    ]);
  });

  it("hides a peer-group context from whoever may not see the group", async () => {
    // swB sees no child linked to the group; the police see the group but are not involved.
    expect(await whoSeesContext(ids.groupContext ?? "")).toEqual([
      "swA",
      "tmA",
      "businessSupportA",
    ]);
    // An action for each partner: the police now see the context; health, who may not see
    // the group, still do not, although they own an action.
    for (const owner of [world.orgs.police, world.orgs.health]) {
      await database.db
        .insertInto("context_action")
        .values({
          la_id: world.laId,
          context_id: ids.groupContext ?? "",
          action: "Disruption patrols",
          owner_organisation_id: owner,
          due_on: "2026-04-01",
          recorded_by: world.users.swA.id,
        })
        .execute();
    }
    expect(await whoSeesContext(ids.groupContext ?? "")).toEqual([
      "swA",
      "tmA",
      "businessSupportA",
      "police",
    ]);
  });

  it("shows a school context to the LA and to the school itself, not to other partners", async () => {
    expect(await whoSeesContext(ids.schoolContext ?? "")).toEqual([
      "swA",
      "tmA",
      "businessSupportA",
      "swB",
    ]);
    const schoolUser = await database.db
      .insertInto("app_user")
      .values({
        la_id: world.laId,
        organisation_id: world.orgs.school,
        email: "dsl@academy.example",
        display_name: "Designated lead",
        role: "partner_practitioner",
        password_hash: "unused",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const school = await loadActor(database.db, schoolUser.id);
    if (!school) throw new Error("no school actor");
    const seen = await database.db
      .selectFrom("context_case as cc")
      .select("cc.id")
      .where(contextVisible(school, now, "cc"))
      .execute();
    expect(seen.map((r) => r.id)).toEqual([ids.schoolContext]);
  });
});

describe("who changes a context", () => {
  it("lets only social workers and managers run a context", async () => {
    const allowed: UserKey[] = [];
    for (const key of everyone) if (mayChangeContext(await actor(key))) allowed.push(key);
    expect(allowed).toEqual(["swA", "tmA", "swB", "otherLaSw"]);
  });

  it("lets a partner report progress on its own agency's actions only", async () => {
    const health = await actor("health");
    expect(mayUpdateActionProgress(health, world.orgs.health)).toBe(true);
    expect(mayUpdateActionProgress(health, world.orgs.police)).toBe(false);
    expect(mayUpdateActionProgress(await actor("businessSupportA"), world.orgs.la)).toBe(false);
    expect(mayUpdateActionProgress(await actor("analyst"), world.orgs.la)).toBe(false);
    expect(mayUpdateActionProgress(await actor("swA"), world.orgs.health)).toBe(true);
  });
});
