import { beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "../../test/support/database.ts";
import { buildWorld, type World } from "../../test/support/world.ts";
import type { Database } from "../platform/database.ts";
import { whoSees, worldActor, type UserKey } from "../../test/support/who-sees.ts";
import { agendaItemVisible, panelMeetingVisible } from "./panels.ts";

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
const ids = {} as Record<"meeting" | "child" | "place" | "school" | "group", string>;

const actor = (key: UserKey) => worldActor(database.db, world, key);
const whoSeesItem = (id: string) =>
  whoSees(database.db, world, everyone, "panel_agenda_item", id, (a) =>
    agendaItemVisible(a, now, "t"),
  );

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  const db = database.db;
  const by = world.users.swA.id;
  const panel = await db
    .insertInto("panel")
    .values({ la_id: world.laId, kind: "mace", name: "MACE" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const meeting = await db
    .insertInto("panel_meeting")
    .values({ la_id: world.laId, panel_id: panel.id, meets_on: "2026-03-09", recorded_by: by })
    .returning("id")
    .executeTakeFirstOrThrow();
  ids.meeting = meeting.id;
  const place = await db
    .insertInto("location")
    .values({ la_id: world.laId, name: "Park", kind: "park", recorded_by: by })
    .returning("id")
    .executeTakeFirstOrThrow();
  // A peer group recorded by swA, with no association yet: only swA sees it.
  const group = await db
    .insertInto("peer_group")
    .values({ la_id: world.laId, name: "Station group", recorded_by: by })
    .returning("id")
    .executeTakeFirstOrThrow();
  const context = async (values: {
    kind: "peer_group" | "location" | "school";
    peer_group_id?: string;
    location_id?: string;
    school_organisation_id?: string;
  }) =>
    (
      await db
        .insertInto("context_case")
        .values({
          la_id: world.laId,
          referred_on: "2026-02-01",
          referral_reason: "Reason",
          referred_by: by,
          ...values,
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  const placeContext = await context({ kind: "location", location_id: place.id });
  const schoolContext = await context({
    kind: "school",
    school_organisation_id: world.orgs.school,
  });
  const groupContext = await context({ kind: "peer_group", peer_group_id: group.id });
  // The health trust owns an action on the school context's plan.
  await db
    .insertInto("context_action")
    .values({
      la_id: world.laId,
      context_id: schoolContext,
      action: "School nurse drop-in",
      owner_organisation_id: world.orgs.health,
      due_on: "2026-04-01",
      recorded_by: by,
    })
    .execute();
  const item = async (subject: { person_id: string } | { context_id: string }) =>
    (
      await db
        .insertInto("panel_agenda_item")
        .values({
          la_id: world.laId,
          meeting_id: meeting.id,
          reason: "R",
          added_by: by,
          ...subject,
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  ids.child = await item({ person_id: world.people.childA1 });
  ids.place = await item({ context_id: placeContext });
  ids.school = await item({ context_id: schoolContext });
  ids.group = await item({ context_id: groupContext });
});

describe("panel visibility", () => {
  it("shows a meeting to everyone of its LA (the route's panel.view does the rest)", async () => {
    const seen: UserKey[] = [];
    for (const key of everyone) {
      const row = await database.db
        .selectFrom("panel_meeting as m")
        .select("m.id")
        .where("m.id", "=", ids.meeting)
        .where(panelMeetingVisible(await actor(key), "m"))
        .executeTakeFirst();
      if (row) seen.push(key);
    }
    expect(seen).toEqual(everyone.filter((k) => k !== "otherLaSw"));
  });

  it("shows a child's item only to those who may see the child", async () => {
    expect(await whoSeesItem(ids.child)).toEqual([
      "swA",
      "tmA",
      "adultSpecialistA",
      "businessSupportA",
      "police",
    ]);
  });

  it("shows a place context to the LA's practitioners, not to partners it does not name", async () => {
    expect(await whoSeesItem(ids.place)).toEqual([
      "swA",
      "tmA",
      "adultSpecialistA",
      "businessSupportA",
      "swB",
    ]);
  });

  it("shows a school context to a partner named as an action owner", async () => {
    expect(await whoSeesItem(ids.school)).toEqual([
      "swA",
      "tmA",
      "adultSpecialistA",
      "businessSupportA",
      "swB",
      "health",
    ]);
  });

  it("shows a peer-group context only to those who may see the group", async () => {
    expect(await whoSeesItem(ids.group)).toEqual(["swA"]);
  });
});
