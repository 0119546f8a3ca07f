import { beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "../../test/support/database.ts";
import { buildWorld, type World } from "../../test/support/world.ts";
import type { Database } from "../platform/database.ts";
import { whoSees, worldActor, type UserKey } from "../../test/support/who-sees.ts";
import {
  associationVisible,
  peerGroupVisible,
  personOfConcernVisible,
  placeVisible,
} from "./network.ts";

let database: Database;
let world: World;
const now = new Date("2026-03-02T10:00:00Z");
// The LA practitioners who see Amelia: her team, and the adult specialist through her mother's
// family. (The adult specialist has no exploitation.view, so the network pages stay closed.)
const laTeam: UserKey[] = ["swA", "tmA", "businessSupportA", "adultSpecialistA"];
const everyone: UserKey[] = [...laTeam, "swB", "police", "health", "analyst", "admin", "otherLaSw"];
const ids: Record<string, string> = {};

const actor = (key: UserKey) => worldActor(database.db, world, key);
const whoSeesAssociation = (id: string) =>
  whoSees(database.db, world, everyone, "association", id, (a) => associationVisible(a, now, "t"));
const whoSeesPersonOfConcern = (id: string) =>
  whoSees(database.db, world, everyone, "person_of_concern", id, (a) =>
    personOfConcernVisible(a, now, "t"),
  );
const whoSeesGroup = (id: string) =>
  whoSees(database.db, world, everyone, "peer_group", id, (a) => peerGroupVisible(a, now, "t"));

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  const db = database.db;
  // Amelia (childA1) is shared with the police by the world, and here with health too.
  await db
    .insertInto("record_share")
    .values({
      la_id: world.laId,
      person_id: world.people.childA1,
      organisation_id: world.orgs.health,
      lawful_basis: "ca1989_s47",
      purpose: "Health input to the section 47 enquiry",
      shared_by: world.users.swA.id,
    })
    .execute();
  const poc = (name: string) =>
    db
      .insertInto("person_of_concern")
      .values({
        la_id: world.laId,
        name,
        age_band: "25_plus",
        source_organisation_id: world.orgs.police,
        recorded_by: world.users.police.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
  ids.unsharedPoc = (await poc("Dean Marsh")).id;
  ids.sharedPoc = (await poc("Lee Carter")).id;
  ids.unlinkedPoc = (await poc("Sam Doyle")).id;
  // Recorded by swA as the LA's own intelligence, linked to no child yet.
  ids.laUnlinkedPoc = (
    await db
      .insertInto("person_of_concern")
      .values({
        la_id: world.laId,
        name: "Kieran Holt",
        age_band: "18_24",
        source_organisation_id: world.orgs.la,
        recorded_by: world.users.swA.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  ids.group = (
    await db
      .insertInto("peer_group")
      .values({ la_id: world.laId, name: "Eastfield Boys", recorded_by: world.users.police.id })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  ids.place = (
    await db
      .insertInto("location")
      .values({
        la_id: world.laId,
        name: "Bus station",
        kind: "transport_hub",
        recorded_by: world.users.swA.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  const association = async (values: Record<string, unknown>) =>
    (
      await db
        .insertInto("association")
        .values({
          la_id: world.laId,
          child_id: world.people.childA1,
          first_seen_on: "2026-02-01",
          source_organisation_id: world.orgs.police,
          source_grading: "1",
          information_grading: "B",
          recorded_by: world.users.police.id,
          ...values,
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  ids.policeUnshared = await association({ person_of_concern_id: ids.unsharedPoc });
  ids.policeShared = await association({
    person_of_concern_id: ids.sharedPoc,
    share_with_partners: true,
  });
  ids.withOtherTeamsChild = await association({
    other_child_id: world.people.childB1,
    share_with_partners: true,
  });
  ids.withGroup = await association({ peer_group_id: ids.group });
  ids.laAtPlace = await association({
    location_id: ids.place,
    source_organisation_id: world.orgs.la,
    recorded_by: world.users.swA.id,
  });
});

describe("associationVisible", () => {
  it("shows police intelligence not shared with partners to the police and the LA team, not to health", async () => {
    expect(await whoSeesAssociation(ids.policeUnshared ?? "")).toEqual([...laTeam, "police"]);
  });

  it("shows it to health too when the police marked it to be shared with partners", async () => {
    expect(await whoSeesAssociation(ids.policeShared ?? "")).toEqual([
      ...laTeam,
      "police",
      "health",
    ]);
  });

  it("hides the LA's own unshared intelligence from every partner", async () => {
    expect(await whoSeesAssociation(ids.laAtPlace ?? "")).toEqual([...laTeam]);
  });

  it("hides an association with a child the actor may not see, even though its own child is visible", async () => {
    // Kai (childB1) is swB's; nobody here sees both children, so nobody sees the association.
    expect(await whoSeesAssociation(ids.withOtherTeamsChild ?? "")).toEqual([]);
    // ...and it is not counted among Amelia's associations either.
    const counted = await database.db
      .selectFrom("association as a")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("a.child_id", "=", world.people.childA1)
      .where(associationVisible(await actor("swA"), now, "a"))
      .executeTakeFirstOrThrow();
    expect(Number(counted.n)).toBe(4);
  });

  it("shows nothing to the analyst, the administrator, swB or another LA", async () => {
    for (const id of Object.values(ids)) {
      const seen = await whoSeesAssociation(id);
      for (const key of ["analyst", "admin", "swB", "otherLaSw"] as const) {
        expect(seen).not.toContain(key);
      }
    }
  });
});

describe("personOfConcernVisible and peerGroupVisible", () => {
  it("shows a person of concern only through a visible association or to its recording agency", async () => {
    expect(await whoSeesPersonOfConcern(ids.unsharedPoc ?? "")).toEqual([...laTeam, "police"]);
    expect(await whoSeesPersonOfConcern(ids.sharedPoc ?? "")).toEqual([
      ...laTeam,
      "police",
      "health",
    ]);
    // Linked to no child: only the police, who recorded it.
    expect(await whoSeesPersonOfConcern(ids.unlinkedPoc ?? "")).toEqual(["police"]);
    // The LA's own, unlinked: only the practitioner who recorded it, not the rest of the LA.
    expect(await whoSeesPersonOfConcern(ids.laUnlinkedPoc ?? "")).toEqual(["swA"]);
  });

  it("shows a peer group through a visible association or to its recording agency", async () => {
    expect(await whoSeesGroup(ids.group ?? "")).toEqual([...laTeam, "police"]);
  });
});

describe("placeVisible", () => {
  it("shows a place within its LA only", async () => {
    const seen: UserKey[] = [];
    for (const key of everyone) {
      const row = await database.db
        .selectFrom("location as l")
        .select("l.id")
        .where("l.id", "=", ids.place ?? "")
        .where(placeVisible(await actor(key), "l"))
        .executeTakeFirst();
      if (row) seen.push(key);
    }
    // Everyone of the LA (the routes ask for exploitation.view on top), nobody elsewhere.
    expect(seen).not.toContain("otherLaSw");
    expect(seen).toContain("swB");
  });
});
