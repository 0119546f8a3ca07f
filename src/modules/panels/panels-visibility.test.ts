import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp, type Client } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";

/**
 * Who sees which part of a panel meeting, and a child's panels from their record. The panels,
 * meetings and agenda are written straight to the database (panels.test.ts covers the forms).
 */
let database: Database;
let world: World;
let app: FastifyInstance;
let swA: Client;
const ids = {} as Record<
  "context" | "mace" | "maceMeeting" | "maspNear" | "maspFar" | "macePast" | "itemA1",
  string
>;

const text = (html: string): string => html.replace(/<[^>]+>/g, "").replace(/\s+/g, " ");
const dateFields = (name: string, iso: string): Record<string, string> => {
  const [year = "", month = "", day = ""] = iso.split("-");
  return { [`${name}-day`]: day, [`${name}-month`]: month, [`${name}-year`]: year };
};
const count = async (table: "panel" | "panel_meeting" | "panel_decision") =>
  Number(
    (
      await database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

// The test clock says Monday 2 March 2026.
beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  swA = await signIn(app, world.users.swA.email);
  const db = database.db;
  const by = world.users.swA.id;
  const la = world.laId;
  const panel = async (kind: "mace" | "masp", name: string) =>
    (
      await db
        .insertInto("panel")
        .values({ la_id: la, kind, name })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  ids.mace = await panel("mace", "Testshire MACE");
  const masp = await panel("masp", "Testshire MASP");
  const meeting = async (panelId: string, on: string) =>
    (
      await db
        .insertInto("panel_meeting")
        .values({ la_id: la, panel_id: panelId, meets_on: on, chair: "DCI Rowe", recorded_by: by })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  ids.maceMeeting = await meeting(ids.mace, "2026-03-09");
  ids.maspNear = await meeting(masp, "2026-03-23");
  ids.maspFar = await meeting(masp, "2026-04-18");
  ids.macePast = await meeting(ids.mace, "2026-02-09");
  const park = await db
    .insertInto("location")
    .values({ la_id: la, name: "Riverside Park", kind: "park", recorded_by: by })
    .returning("id")
    .executeTakeFirstOrThrow();
  ids.context = (
    await db
      .insertInto("context_case")
      .values({
        la_id: la,
        kind: "location",
        location_id: park.id,
        referred_on: "2026-02-20",
        referral_reason: "Dealing",
        referred_by: by,
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  const item = async (
    meetingId: string,
    subject: { person_id: string } | { context_id: string },
    reason: string,
  ) =>
    (
      await db
        .insertInto("panel_agenda_item")
        .values({ la_id: la, meeting_id: meetingId, reason, added_by: by, ...subject })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  ids.itemA1 = await item(
    ids.maceMeeting,
    { person_id: world.people.childA1 },
    "Missing three times",
  );
  await item(ids.maspNear, { person_id: world.people.childA1 }, "Online grooming");
  await item(
    ids.maceMeeting,
    { person_id: world.people.childA2 },
    "Older sibling's associates visiting",
  );
  await item(ids.maceMeeting, { person_id: world.people.childB1 }, "Carrying a knife at school");
  await item(ids.maceMeeting, { context_id: ids.context }, "Dealing reported at the park");
  await db
    .insertInto("panel_decision")
    .values({
      la_id: la,
      agenda_item_id: ids.itemA1,
      decision: "Refer to the NRM",
      recorded_by: by,
    })
    .execute();
});

describe("who sees what", () => {
  it("shows the police the meeting with only Amelia's item (shared with them)", async () => {
    const police = await signIn(app, world.users.police.email);
    const page = await police.get(`/panels/meetings/${ids.maceMeeting}`);
    expect(page.statusCode).toBe(200);
    const shown = text(page.body);
    expect(shown).toContain("Amelia Hartley");
    expect(shown).toContain("Refer to the NRM");
    for (const hidden of ["Oliver", "Kai", "Riverside Park", "Carrying a knife", "Older sibling"])
      expect(shown).not.toContain(hidden);
    expect(page.body).not.toContain("Add a child to the agenda");
    expect(await latestAudit(database)).toMatchObject({
      action: "panel.view",
      person_ids: [world.people.childA1],
    });
    // Named as an action owner on the context's plan, the police then see the context too.
    await database.db
      .insertInto("context_action")
      .values({
        la_id: world.laId,
        context_id: ids.context,
        action: "Patrols",
        owner_organisation_id: world.orgs.police,
        due_on: "2026-04-01",
        recorded_by: world.users.swA.id,
      })
      .execute();
    expect(text((await police.get(`/panels/meetings/${ids.maceMeeting}`)).body)).toContain(
      "Place: Riverside Park",
    );
    // And may not write.
    const attempt = await police.post(`/panels/agenda/${ids.itemA1}/decisions`, { decision: "No" });
    expect(attempt.statusCode).toBe(404);
  });

  it("shows swB the meeting without Amelia's item, and refuses it to them", async () => {
    const swB = await signIn(app, world.users.swB.email);
    const shown = text((await swB.get(`/panels/meetings/${ids.maceMeeting}`)).body);
    expect(shown).toContain("Kai Brennan");
    expect(shown).toContain("Riverside Park");
    expect(shown).not.toContain("Amelia");
    expect(shown).not.toContain("Refer to the NRM");
    expect((await swB.get(`/panels/agenda/${ids.itemA1}`)).statusCode).toBe(404);
    const before = await count("panel_decision");
    expect(
      (await swB.post(`/panels/agenda/${ids.itemA1}/decisions`, { decision: "Sneaky" })).statusCode,
    ).toBe(404);
    expect(await count("panel_decision")).toBe(before);
    expect((await swB.get(`/people/${world.people.childA1}/panels`)).statusCode).toBe(404);
  });

  it("is refused (404) to the analyst, the administrator and another LA, saving nothing", async () => {
    for (const user of [world.users.analyst, world.users.admin, world.users.otherLaSw]) {
      const client = await signIn(app, user.email);
      expect((await client.get(`/panels/meetings/${ids.maceMeeting}`)).statusCode, user.email).toBe(
        404,
      );
      expect(await latestAudit(database)).toMatchObject({
        action: "panel.view",
        outcome: "denied",
      });
      expect((await client.get(`/panels/agenda/${ids.itemA1}`)).statusCode, user.email).toBe(404);
      // Another LA's social worker may set up panels of their own LA; the others may not.
      if (user !== world.users.otherLaSw) {
        expect(
          (await client.post("/panels", { kind: "mace", name: "Rogue" })).statusCode,
          user.email,
        ).toBe(404);
      }
      expect(
        (
          await client.post(`/panels/${ids.mace}/meetings`, {
            ...dateFields("meetsOn", "2026-05-01"),
            chair: "X",
          })
        ).statusCode,
      ).toBe(404);
    }
    const other = await signIn(app, world.users.otherLaSw.email);
    expect(text((await other.get("/panels")).body)).not.toContain("Testshire MACE");
    expect(await count("panel")).toBe(2);
    expect(await count("panel_meeting")).toBe(4);
  });

  it("keeps another LA's panels apart", async () => {
    const other = await signIn(app, world.users.otherLaSw.email);
    await other.get("/panels/new");
    expect((await other.post("/panels", { kind: "mace", name: "Elsewhere MACE" })).statusCode).toBe(
      303,
    );
    expect(text((await swA.get("/panels")).body)).not.toContain("Elsewhere MACE");
    const theirs = text((await other.get("/panels")).body);
    expect(theirs).toContain("Elsewhere MACE");
    expect(theirs).not.toContain("Testshire MACE");
  });
});

describe("a child's panels", () => {
  it("lists the child's appearances and adds them to an upcoming meeting", async () => {
    const page = await swA.get(`/people/${world.people.childA1}/panels`);
    expect(page.statusCode).toBe(200);
    const shown = text(page.body);
    expect(shown).toContain("Testshire MACE, 9 March 2026");
    expect(shown).toContain("Testshire MASP, 23 March 2026");
    expect(page.body).not.toContain(`value="${ids.macePast}"`);
    const past = await swA.post(`/people/${world.people.childA1}/panels`, {
      meetingId: ids.macePast,
      reason: "R",
    });
    expect(past.statusCode).toBe(400);
    expect(past.body).toContain('href="#meetingId"');
    const twice = await swA.post(`/people/${world.people.childA1}/panels`, {
      meetingId: ids.maceMeeting,
      reason: "R",
    });
    expect(twice.statusCode).toBe(400);
    expect(twice.body).toContain('href="#meetingId"');
    const added = await swA.post(`/people/${world.people.childA1}/panels`, {
      meetingId: ids.maspFar,
      reason: "Still missing",
    });
    expect(added.statusCode).toBe(303);
    expect(await latestAudit(database)).toMatchObject({
      action: "panel.record",
      person_ids: [world.people.childA1],
    });
    const police = await signIn(app, world.users.police.email);
    const theirs = await police.get(`/people/${world.people.childA1}/panels`);
    expect(theirs.statusCode).toBe(200);
    expect(text(theirs.body)).toContain("Still missing");
    expect(theirs.body).not.toContain("Add to a panel agenda");
  });
});
