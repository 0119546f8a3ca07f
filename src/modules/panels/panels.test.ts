import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, type Client } from "../../../test/support/http.ts";
import { testApp } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";

let database: Database;
let world: World;
let app: FastifyInstance;
let swA: Client;
const ids = {} as Record<
  "context" | "mace" | "masp" | "maceMeeting" | "maspNear" | "maspFar" | "macePast" | "itemA1",
  string
>;

// The test clock says Monday 2 March 2026.
beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  swA = await signIn(app, world.users.swA.email);
  const park = await database.db
    .insertInto("location")
    .values({
      la_id: world.laId,
      name: "Riverside Park",
      kind: "park",
      recorded_by: world.users.swA.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const context = await database.db
    .insertInto("context_case")
    .values({
      la_id: world.laId,
      kind: "location",
      location_id: park.id,
      referred_on: "2026-02-20",
      referral_reason: "Younger children drawn into selling at the park",
      referred_by: world.users.swA.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  ids.context = context.id;
});

const text = (html: string): string => html.replace(/<[^>]+>/g, "").replace(/\s+/g, " ");
const dateFields = (name: string, iso: string): Record<string, string> => {
  const [year = "", month = "", day = ""] = iso.split("-");
  return { [`${name}-day`]: day, [`${name}-month`]: month, [`${name}-year`]: year };
};
const count = async (
  table:
    | "panel"
    | "panel_meeting"
    | "panel_agenda_item"
    | "panel_decision"
    | "panel_action"
    | "panel_attendee",
) =>
  Number(
    (
      await database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

async function schedule(client: Client, panelId: string, on: string): Promise<string> {
  await client.get(`/panels/${panelId}/meetings/new`);
  const response = await client.post(`/panels/${panelId}/meetings`, {
    ...dateFields("meetsOn", on),
    chair: "DCI Rowe",
  });
  expect(response.statusCode).toBe(303);
  return (response.headers.location as string).split("/").pop() ?? "";
}

async function addChild(client: Client, meetingId: string, personId: string, reason: string) {
  await client.get(`/panels/meetings/${meetingId}`);
  return client.post(`/panels/meetings/${meetingId}/agenda`, {
    subject: "child",
    personId,
    reason,
  });
}

describe("panels and meetings", () => {
  it("adds a MACE and a MASP panel and schedules meetings", async () => {
    await swA.get("/panels/new");
    expect((await swA.post("/panels", { kind: "mace", name: "Testshire MACE" })).statusCode).toBe(
      303,
    );
    expect((await swA.post("/panels", { kind: "masp", name: "Testshire MASP" })).statusCode).toBe(
      303,
    );
    const panels = await database.db
      .selectFrom("panel")
      .select(["id", "kind", "name"])
      .orderBy("name")
      .execute();
    expect(panels.map((p) => [p.kind, p.name])).toEqual([
      ["mace", "Testshire MACE"],
      ["masp", "Testshire MASP"],
    ]);
    ids.mace = panels[0]?.id ?? "";
    ids.masp = panels[1]?.id ?? "";
    ids.maceMeeting = await schedule(swA, ids.mace, "2026-03-09");
    ids.maspNear = await schedule(swA, ids.masp, "2026-03-23"); // 14 days after
    ids.maspFar = await schedule(swA, ids.masp, "2026-04-18"); // 40 days after
    ids.macePast = await schedule(swA, ids.mace, "2026-02-09");
    const page = await swA.get("/panels");
    expect(page.statusCode).toBe(200);
    const shown = text(page.body);
    expect(shown).toContain("Testshire MACE");
    expect(shown).toContain("Next meeting 9 March 2026, chaired by DCI Rowe");
    expect(shown).toContain("Recent meetings 9 February 2026");
    expect(shown).toContain("Next meeting 23 March 2026");
    expect(await latestAudit(database)).toMatchObject({ action: "panel.view", outcome: "allowed" });
  });

  it("refuses a duplicate name or a missing kind, naming the field", async () => {
    const again = await swA.post("/panels", { kind: "mace", name: "testshire mace" });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('href="#name"');
    expect(again.body).toContain("A panel with this name already exists");
    const noKind = await swA.post("/panels", { name: "Another" });
    expect(noKind.statusCode).toBe(400);
    expect(noKind.body).toContain('href="#kind"');
    const noDate = await swA.post(`/panels/${ids.mace}/meetings`, { chair: "X" });
    expect(noDate.statusCode).toBe(400);
    expect(noDate.body).toContain('href="#meetsOn-day"');
    expect(await count("panel")).toBe(2);
    expect(await count("panel_meeting")).toBe(4);
  });
});

describe("the agenda", () => {
  it("adds children and a context, each on the chronology neutrally", async () => {
    expect(
      (
        await addChild(
          swA,
          ids.maceMeeting,
          world.people.childA1,
          "Missing three times, seen with older males",
        )
      ).statusCode,
    ).toBe(303);
    expect(
      (await addChild(swA, ids.maspNear, world.people.childA1, "Concerns of online grooming"))
        .statusCode,
    ).toBe(303);
    expect(
      (
        await addChild(
          swA,
          ids.maceMeeting,
          world.people.childA2,
          "Older sibling's associates visiting",
        )
      ).statusCode,
    ).toBe(303);
    expect(
      (await addChild(swA, ids.maspFar, world.people.childA2, "Going missing overnight"))
        .statusCode,
    ).toBe(303);
    const swB = await signIn(app, world.users.swB.email);
    expect(
      (await addChild(swB, ids.maceMeeting, world.people.childB1, "Carrying a knife at school"))
        .statusCode,
    ).toBe(303);
    const context = await swA.post(`/panels/meetings/${ids.maceMeeting}/agenda`, {
      subject: "context",
      contextId: ids.context,
      contextReason: "Dealing reported at the park after school",
    });
    expect(context.statusCode).toBe(303);
    expect(await latestAudit(database)).toMatchObject({
      action: "panel.record",
      subject_type: "panel_agenda_item",
    });
    const events = await database.db
      .selectFrom("chronology_entry")
      .select(["summary"])
      .where("person_id", "=", world.people.childA1)
      .where("kind", "=", "panel_agenda")
      .execute();
    expect(events).toEqual([
      { summary: "On the agenda of a multi-agency panel" },
      { summary: "On the agenda of a multi-agency panel" },
    ]);
  });

  const refusals: [string, () => Record<string, string>, string, string][] = [
    [
      "an unknown child",
      () => ({ subject: "child", personId: "00000000-0000-4000-8000-000000000000", reason: "R" }),
      "personId",
      "Select a child from the list",
    ],
    [
      "a child not visible",
      () => ({ subject: "child", personId: world.people.childB1, reason: "R" }),
      "personId",
      "Select a child from the list",
    ],
    [
      "a child already on the agenda",
      () => ({ subject: "child", personId: world.people.childA1, reason: "R" }),
      "personId",
      "already on this meeting",
    ],
    [
      "a missing reason",
      () => ({ subject: "child", personId: world.people.unallocated, reason: "" }),
      "reason",
      "Enter the reason",
    ],
    [
      "a context already on the agenda",
      () => ({ subject: "context", contextId: ids.context, contextReason: "R" }),
      "contextId",
      "already on this meeting",
    ],
  ];
  it.each(refusals)(
    "refuses %s, naming the field and saving nothing",
    async (_, form, field, message) => {
      const before = await count("panel_agenda_item");
      await swA.get(`/panels/meetings/${ids.maceMeeting}`);
      const response = await swA.post(`/panels/meetings/${ids.maceMeeting}/agenda`, form());
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain(`href="#${field}"`);
      expect(response.body).toContain(message);
      expect(await count("panel_agenda_item")).toBe(before);
    },
  );

  it("flags a child on another panel's agenda within 28 days, on both meetings", async () => {
    const mace = text((await swA.get(`/panels/meetings/${ids.maceMeeting}`)).body);
    expect(mace).toContain("Also on the agenda of Testshire MASP on 23 March 2026");
    const masp = text((await swA.get(`/panels/meetings/${ids.maspNear}`)).body);
    expect(masp).toContain("Also on the agenda of Testshire MACE on 9 March 2026");
    // Oliver is on MACE on 9 March and MASP on 18 April: 40 days apart, not flagged.
    const far = text((await swA.get(`/panels/meetings/${ids.maspFar}`)).body);
    expect(far).toContain("Oliver Hartley");
    expect(far).not.toContain("Also on the agenda");
    expect((mace.match(/Also on the agenda/g) ?? []).length).toBe(1);
  });
});

describe("attendees, decisions and actions", () => {
  it("records attendees by agency", async () => {
    await swA.get(`/panels/meetings/${ids.maceMeeting}`);
    const saved = await swA.post(`/panels/meetings/${ids.maceMeeting}/attendees`, {
      organisationId: world.orgs.police,
      attendeeName: "DS Patel",
    });
    expect(saved.statusCode).toBe(303);
    const bad = await swA.post(`/panels/meetings/${ids.maceMeeting}/attendees`, {
      organisationId: world.orgs.otherLa,
      attendeeName: "X",
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#organisationId"');
    expect(await count("panel_attendee")).toBe(1);
    expect(text((await swA.get(`/panels/meetings/${ids.maceMeeting}`)).body)).toContain(
      "Testshire Police DS Patel",
    );
  });

  it("records decisions and actions, marks one done, and refuses a stale or past-dated one", async () => {
    const item = await database.db
      .selectFrom("panel_agenda_item")
      .select("id")
      .where("meeting_id", "=", ids.maceMeeting)
      .where("person_id", "=", world.people.childA1)
      .executeTakeFirstOrThrow();
    ids.itemA1 = item.id;
    await swA.get(`/panels/agenda/${item.id}`);
    expect(
      (await swA.post(`/panels/agenda/${item.id}/decisions`, { decision: "Refer to the NRM" }))
        .statusCode,
    ).toBe(303);
    const past = await swA.post(`/panels/agenda/${item.id}/actions`, {
      action: "Disruption visit",
      ownerId: world.orgs.police,
      ...dateFields("dueOn", "2026-03-01"),
    });
    expect(past.statusCode).toBe(400);
    expect(past.body).toContain('href="#dueOn-day"');
    expect(past.body).toContain("on or after today");
    expect(await count("panel_action")).toBe(0);
    const saved = await swA.post(`/panels/agenda/${item.id}/actions`, {
      action: "Disruption visit",
      ownerId: world.orgs.police,
      ...dateFields("dueOn", "2026-03-16"),
    });
    expect(saved.statusCode).toBe(303);
    const action = await database.db
      .selectFrom("panel_action")
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(action).toMatchObject({
      action: "Disruption visit",
      owner_organisation_id: world.orgs.police,
      due_on: "2026-03-16",
      done_on: null,
      version: 1,
    });
    await swA.get(`/panels/agenda/${item.id}`);
    expect((await swA.post(`/panels/actions/${action.id}/done`, { version: "1" })).statusCode).toBe(
      303,
    );
    const stale = await swA.post(`/panels/actions/${action.id}/done`, { version: "1" });
    expect(stale.statusCode).toBe(409);
    expect(
      await database.db
        .selectFrom("panel_action")
        .select(["done_on", "version"])
        .executeTakeFirstOrThrow(),
    ).toEqual({ done_on: "2026-03-02", version: 2 });
    const page = text((await swA.get(`/panels/agenda/${item.id}`)).body);
    expect(page).toContain("Refer to the NRM");
    expect(page).toContain("Disruption visit Testshire Police 16 March 2026 Done 2 March 2026");
  });
});
