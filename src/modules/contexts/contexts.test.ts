import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import { loadActor } from "../../access/actor.ts";
import type { Database } from "../../platform/database.ts";
import { contextChoices, findVisibleContext } from "./queries.ts";
import { dateFields, recordIntelligence, type Intelligence } from "./test-fixtures.ts";

let database: Database;
let world: World;
let app: FastifyInstance;
let intel: Intelligence;
const ids: Record<"group" | "place" | "school", string> = { group: "", place: "", school: "" };

// The test clock says Monday 2 March 2026.
beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  intel = await recordIntelligence(database, world);
});

function referral(kind: string, field: string, value: string): Record<string, string> {
  return {
    kind,
    [field]: value,
    ...dateFields("referredOn", "2026-02-16"),
    reason: "Several children reported going missing from here",
  };
}

const contextCount = async () =>
  Number(
    (
      await database.db
        .selectFrom("context_case")
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe("referring a context", () => {
  it("asks for the kind first, then offers only the groups the social worker may see", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const kind = await sw.get("/contexts/new");
    expect(kind.statusCode).toBe(200);
    expect(kind.body).toContain("What kind of context are you referring?");
    const form = await sw.get("/contexts/new?kind=peer_group");
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain("Eastfield Boys");
    // swB sees no child linked to the group, so it is not offered.
    const other = await signIn(app, world.users.swB.email);
    const offered = await other.get("/contexts/new?kind=peer_group");
    expect(offered.body).not.toContain("Eastfield Boys");
  });

  it("refers a peer group, a place and a school", async () => {
    const sw = await signIn(app, world.users.swA.email);
    await sw.get("/contexts/new?kind=peer_group");
    for (const [key, kind, field, value] of [
      ["group", "peer_group", "peerGroupId", intel.groupId],
      ["place", "location", "locationId", intel.parkId],
      ["school", "school", "schoolId", world.orgs.school],
    ] as const) {
      const saved = await sw.post("/contexts", referral(kind, field, value));
      expect(saved.statusCode).toBe(303);
      const id = String(saved.headers.location).replace("/contexts/", "");
      ids[key] = id;
      const row = await database.db
        .selectFrom("context_case")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        kind,
        referred_on: "2026-02-16",
        referred_by: world.users.swA.id,
        la_id: world.laId,
      });
      expect(await latestAudit(database)).toMatchObject({
        action: "context.record",
        outcome: "allowed",
        subject_type: "context_case",
        subject_id: id,
      });
    }
  });

  it("refuses bad input naming the field, and saves nothing", async () => {
    const sw = await signIn(app, world.users.swA.email);
    await sw.get("/contexts/new?kind=location");
    const before = await contextCount();
    const future = await sw.post("/contexts", {
      ...referral("location", "locationId", intel.parkId),
      ...dateFields("referredOn", "2026-03-03"),
      reason: "",
    });
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain("The date referred must be today or in the past");
    expect(future.body).toContain("Enter the reason for the referral");
    const unknownPlace = await sw.post(
      "/contexts",
      referral("location", "locationId", "00000000-0000-4000-8000-000000000000"),
    );
    expect(unknownPlace.statusCode).toBe(400);
    expect(unknownPlace.body).toContain("Select the place from the list");
    // The police are an organisation of the LA, but not a school.
    const notSchool = await sw.post("/contexts", referral("school", "schoolId", world.orgs.police));
    expect(notSchool.body).toContain("Select the school from the list");
    const hiddenGroup = await signIn(app, world.users.swB.email);
    await hiddenGroup.get("/contexts/new?kind=peer_group");
    const refused = await hiddenGroup.post(
      "/contexts",
      referral("peer_group", "peerGroupId", intel.groupId),
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain("Select the peer group from the list");
    const noKind = await sw.post("/contexts", referral("street", "x", "y"));
    expect(noKind.body).toContain("Select what kind of context this is");
    expect(await contextCount()).toBe(before);
    expect(await latestAudit(database)).toMatchObject({ outcome: "failed" });
  });

  it("refuses a referral from those who may not record one", async () => {
    const before = await contextCount();
    for (const email of [
      world.users.businessSupportA.email,
      world.users.police.email,
      world.users.analyst.email,
      world.users.admin.email,
    ]) {
      const user = await signIn(app, email);
      expect((await user.get("/contexts/new")).statusCode).toBe(404);
      const posted = await user.post(
        "/contexts",
        referral("school", "schoolId", world.orgs.school),
      );
      expect(posted.statusCode).toBe(404);
    }
    expect(await contextCount()).toBe(before);
  });
});

describe("a context's page and the list", () => {
  it("shows the peer group with a link to it and only the children the actor may see", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const page = await sw.get(`/contexts/${ids.group}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`href="/network/groups/${intel.groupId}">Eastfield Boys</a>`);
    expect(page.body).toContain("Several children reported going missing from here");
    expect(page.body).toContain("Amelia Hartley");
    const place = await sw.get(`/contexts/${ids.place}`);
    expect(place.body).toContain(`href="/network/places/${intel.parkId}">Victoria Park</a>`);
    // Kai was seen at the park too, but swA may not see his record: not named, not counted.
    expect(place.body).toContain("Amelia Hartley");
    expect(place.body).not.toContain("Brennan");
    expect(await latestAudit(database)).toMatchObject({
      action: "context.view",
      person_ids: [world.people.childA1],
      summary: { children: 1 },
    });
  });

  it("lists the contexts the actor may see, open first", async () => {
    await database.db
      .updateTable("context_case")
      .set({ closed_on: "2026-02-20" })
      .where("id", "=", ids.school)
      .execute();
    const sw = await signIn(app, world.users.swA.email);
    const list = await sw.get("/contexts");
    expect(list.statusCode).toBe(200);
    const rows = list.body.match(/data-testid="context"/g) ?? [];
    expect(rows).toHaveLength(3);
    expect(list.body.indexOf("Testshire Academy")).toBeGreaterThan(
      list.body.indexOf("Victoria Park"),
    );
    expect(list.body).toContain("Closed 20 February 2026");
    // swB may not see the group: its context is neither listed nor found.
    const other = await signIn(app, world.users.swB.email);
    const theirs = await other.get("/contexts");
    expect(theirs.body).toContain("Victoria Park");
    expect(theirs.body).not.toContain("Eastfield Boys");
    expect((await other.get(`/contexts/${ids.group}`)).statusCode).toBe(404);
    const place = await other.get(`/contexts/${ids.place}`);
    expect(place.body).toContain("Kai Brennan");
    expect(place.body).not.toContain("Amelia");
  });

  it("is not found for the analyst, the administrator, another LA and partners not involved", async () => {
    for (const email of [
      world.users.analyst.email,
      world.users.admin.email,
      world.users.otherLaSw.email,
      world.users.police.email,
      world.users.health.email,
      world.users.adultSpecialistA.email,
    ]) {
      const user = await signIn(app, email);
      for (const id of Object.values(ids)) {
        expect((await user.get(`/contexts/${id}`)).statusCode, email).toBe(404);
      }
      const list = await user.get("/contexts");
      expect(list.body, email).not.toContain("Victoria Park");
    }
    expect(await latestAudit(database)).toMatchObject({ outcome: "denied" });
  });

  it("offers open contexts to the panels as the actor may see them", async () => {
    const swA = await loadActor(database.db, world.users.swA.id);
    const swB = await loadActor(database.db, world.users.swB.id);
    if (!swA || !swB) throw new Error("no actors");
    const now = new Date("2026-03-02T10:00:00Z");
    expect(await contextChoices(database.db, swA, now)).toEqual([
      { id: ids.group, label: "Peer group: Eastfield Boys" },
      { id: ids.place, label: "Place: Victoria Park" },
    ]);
    expect(await contextChoices(database.db, swB, now)).toEqual([
      { id: ids.place, label: "Place: Victoria Park" },
    ]);
    expect(await findVisibleContext(database.db, swB, now, ids.group)).toBeUndefined();
    expect(await findVisibleContext(database.db, swA, now, ids.group)).toMatchObject({
      kind: "peer_group",
      name: "Eastfield Boys",
    });
  });
});
