import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { dateFields } from "../../../test/support/forms.ts";
import { signIn, testApp, type Client } from "../../../test/support/http.ts";
import { buildWorld, PASSWORD, type World } from "../../../test/support/world.ts";
import { loadActor } from "../../access/actor.ts";
import type { Database } from "../../platform/database.ts";
import { AppError } from "../../platform/errors.ts";
import { makeReferral } from "./service.ts";

let database: Database;
let world: World;
let app: FastifyInstance;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
});

/** A referral as the police officer fills it in (the test clock's today is 2 March 2026). */
const referralForm = (child: Record<string, string>): Record<string, string> => ({
  givenName: "",
  familyName: "",
  address: "",
  postcode: "",
  nhsNumber: "",
  upn: "",
  school: "",
  reasons: "Found alone at the bus station at 2am; said he could not go home.",
  referrerRole: "Detective constable",
  referrerPhone: "01632 960 001",
  referrerEmail: "dc.carter@police.example",
  familyAware: "not_told",
  notToldReason: "Telling his father could put him at greater risk tonight.",
  ...child,
});

async function refer(client: Client, child: Record<string, string>): Promise<string> {
  await client.get("/referrals/new");
  const sent = await client.post("/referrals", referralForm(child));
  expect(sent.statusCode).toBe(303);
  const match = /^\/referrals\/([0-9a-f-]{36})\?made=1$/.exec(sent.headers.location ?? "");
  if (!match?.[1]) throw new Error(`no referral in ${String(sent.headers.location)}`);
  return match[1];
}

const count = async (table: "partner_referral" | "contact") =>
  Number(
    (
      await database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

async function contactOf(referralId: string): Promise<string> {
  const row = await database.db
    .selectFrom("partner_referral")
    .select("contact_id")
    .where("id", "=", referralId)
    .executeTakeFirstOrThrow();
  return row.contact_id;
}

describe("a partner agency refers a child", () => {
  it("offers the partner 'Make a referral' and 'Referrals you have made' on the home page", async () => {
    const police = await signIn(app, world.users.police.email);
    const home = await police.get("/");
    expect(home.body).toContain('href="/referrals/new"');
    expect(home.body).toContain("Referrals you have made");
    const sw = await signIn(app, world.users.swA.email);
    expect((await sw.get("/")).body).not.toContain('href="/referrals/new"');
    expect((await sw.get("/referrals/new")).statusCode).toBe(404);
  });

  it("keeps everything typed when the referral has mistakes, and saves nothing", async () => {
    const police = await signIn(app, world.users.police.email);
    await police.get("/referrals/new");
    const [referrals, contacts] = [await count("partner_referral"), await count("contact")];
    const response = await police.post(
      "/referrals",
      referralForm({
        givenName: "",
        familyName: "Brenan",
        nhsNumber: "123",
        postcode: "not a postcode",
        ...dateFields("dateOfBirth", "2031-01-09"),
        familyAware: "aware_not_consented",
        notToldReason: "",
        reasons: "Seen with older men in a car outside the school <b>twice</b>",
      }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("There is a problem");
    for (const field of ["givenName", "nhsNumber", "postcode", "dateOfBirth-day", "notToldReason"])
      expect(response.body).toContain(`href="#${field}"`);
    // What was typed is shown again, escaped.
    expect(response.body).toContain('value="Brenan"');
    expect(response.body).toContain('value="not a postcode"');
    expect(response.body).toContain("outside the school &lt;b&gt;twice&lt;/b&gt;");
    expect(response.body).toContain('value="01632 960 001"');
    expect(await count("partner_referral")).toBe(referrals);
    expect(await count("contact")).toBe(contacts);
    expect(await latestAudit(database)).toMatchObject({
      action: "referral.make",
      outcome: "failed",
    });
  });

  it("puts a referral about a child the council does not know on the front door, as a child to identify", async () => {
    const police = await signIn(app, world.users.police.email);
    const referralId = await refer(police, {
      givenName: "Maisie",
      familyName: "Tranter",
      ...dateFields("dateOfBirth", "2019-04-12"),
      address: "Flat 3, 18 Canal Street\nLeeds",
      postcode: "ls1 4ap",
    });
    const row = await database.db
      .selectFrom("partner_referral as pr")
      .innerJoin("contact as c", "c.id", "pr.contact_id")
      .select(["pr.person_id", "pr.child_postcode", "c.source", "c.decision_due_on", "c.referrer"])
      .where("pr.id", "=", referralId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      person_id: null,
      child_postcode: "LS1 4AP",
      source: "6",
      decision_due_on: "2026-03-03",
    });
    expect(row.referrer).toContain("Testshire Police");

    const manager = await signIn(app, world.users.tmA.email);
    const frontDoor = await manager.get("/front-door");
    expect(frontDoor.body).toContain(`/front-door/referrals/${referralId}`);
    expect(frontDoor.body).toContain("Child to identify");
    // A social worker does not work the identification queue.
    const sw = await signIn(app, world.users.swA.email);
    expect((await sw.get("/front-door")).body).not.toContain(referralId);
    expect((await sw.get(`/front-door/referrals/${referralId}`)).statusCode).toBe(404);

    // Nobody has a record: the front door creates one from the referral's details.
    const page = await manager.get(`/front-door/referrals/${referralId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("No records match");
    const created = await manager.post(`/front-door/referrals/${referralId}/new-person`, {});
    expect(created.statusCode).toBe(303);
    const person = await database.db
      .selectFrom("person")
      .select(["id", "given_name", "date_of_birth"])
      .where("family_name", "=", "Tranter")
      .executeTakeFirstOrThrow();
    expect(person).toMatchObject({ given_name: "Maisie", date_of_birth: "2019-04-12" });
    const address = await database.db
      .selectFrom("person_address as pa")
      .innerJoin("address as a", "a.id", "pa.address_id")
      .select(["a.line1", "a.line2", "a.town", "a.postcode", "pa.end_date"])
      .where("pa.person_id", "=", person.id)
      .executeTakeFirstOrThrow();
    expect(address).toEqual({
      line1: "Flat 3",
      line2: "18 Canal Street",
      town: "Leeds",
      postcode: "LS1 4AP",
      end_date: null,
    });
    expect(created.headers.location).toBe(`/contacts/${await contactOf(referralId)}`);
    expect((await manager.get(created.headers.location ?? "")).statusCode).toBe(200);
    expect((await manager.get("/front-door")).body).not.toContain(
      `/front-door/referrals/${referralId}"`,
    );
    // A second try (another tab) is told the child is already identified.
    const again = await manager.post(`/front-door/referrals/${referralId}/new-person`, {});
    expect(again.statusCode).toBe(409);
  });
});

describe("the front door identifies a known child by a misspelt name", () => {
  let referralId: string;
  let contactId: string;

  it("finds Kai Brennan (Team B's) from 'Kai Brenan' and his date of birth, and links the referral", async () => {
    const police = await signIn(app, world.users.police.email);
    referralId = await refer(police, {
      givenName: "Kai",
      familyName: "Brenan",
      ...dateFields("dateOfBirth", "2012-01-09"),
    });
    contactId = await contactOf(referralId);
    const manager = await signIn(app, world.users.tmA.email);
    // Team A's manager cannot see Team B's child, nor the unlinked contact.
    expect((await manager.get(`/people/${world.people.childB1}`)).statusCode).toBe(404);
    expect((await manager.get(`/contacts/${contactId}`)).statusCode).toBe(404);

    const page = await manager.get(`/front-door/referrals/${referralId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`value="${world.people.childB1}"`);
    expect(page.body).toContain("Same date of birth");
    // The other LA's child of the same date of birth is never a candidate.
    expect(page.body).not.toContain(world.people.otherLaChild);
    const audit = await latestAudit(database);
    expect(audit).toMatchObject({ action: "referral.identify.form" });
    expect(audit.person_ids).toContain(world.people.childB1);

    const linked = await manager.post(`/front-door/referrals/${referralId}/link`, {
      personId: world.people.childB1,
    });
    expect(linked.statusCode).toBe(303);
    expect(linked.headers.location).toBe(`/contacts/${contactId}`);
    expect(await latestAudit(database)).toMatchObject({
      action: "referral.identify",
      outcome: "allowed",
      person_ids: [world.people.childB1],
    });
    // While the front door holds the referral, its manager sees the child to decide.
    const contact = await manager.get(`/contacts/${contactId}`);
    expect(contact.statusCode).toBe(200);
    expect(contact.body).toContain("Kai Brennan");
    expect(contact.body).toContain(`href="/front-door/referrals/${referralId}"`);
    const identified = await manager.get(`/front-door/referrals/${referralId}`);
    expect(identified.body).toContain("This child has been identified");
    expect(identified.body).toContain("01632 960 001");
    const chronology = await database.db
      .selectFrom("chronology_entry")
      .select("summary")
      .where("person_id", "=", world.people.childB1)
      .where("subject_id", "=", contactId)
      .execute();
    expect(chronology.map((c) => c.summary)).toEqual([
      "Contact received from POLICE (partner referral)",
    ]);
  });

  it("does not let a partner decide the contact", async () => {
    const police = await signIn(app, world.users.police.email);
    const refused = await police.post(`/contacts/${contactId}/decision`, {
      decision: "no_further_action",
      decisionReason: "Deciding my own referral",
      ...dateFields("decidedOn", "2026-03-02"),
      version: "1",
    });
    expect(refused.statusCode).toBe(404);
    const row = await database.db
      .selectFrom("contact")
      .select("decision")
      .where("id", "=", contactId)
      .executeTakeFirstOrThrow();
    expect(row.decision).toBeNull();
  });

  it("lets the manager decide as usual, and tells the referrer the decision and its date only", async () => {
    const manager = await signIn(app, world.users.tmA.email);
    await manager.get(`/contacts/${contactId}`);
    const decided = await manager.post(`/contacts/${contactId}/decision`, {
      decision: "no_further_action",
      decisionReason: "Known to Team B; the allocated worker will follow up with the father.",
      ...dateFields("decidedOn", "2026-03-02"),
      version: "1",
    });
    expect(decided.statusCode).toBe(303);

    const police = await signIn(app, world.users.police.email);
    const list = await police.get("/referrals");
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain("Kai Brenan");
    expect(list.body).toContain("No further action, 2 March 2026");
    const mine = await police.get(`/referrals/${referralId}`);
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain("No further action");
    expect(mine.body).not.toContain("allocated worker will follow up");
    expect(mine.body).not.toContain("Brennan");
    // Nothing more of the child's record: it is not shared with the police.
    expect((await police.get(`/people/${world.people.childB1}`)).statusCode).toBe(404);
    expect((await police.get(`/contacts/${contactId}`)).statusCode).toBe(404);
    expect((await police.get(`/people/${world.people.childB1}/journey`)).statusCode).toBe(404);
  });

  it("shows the referral to nobody in another agency, nor to the referrer's colleagues elsewhere", async () => {
    const health = await signIn(app, world.users.health.email);
    expect((await health.get(`/referrals/${referralId}`)).statusCode).toBe(404);
    expect((await health.get("/referrals")).body).not.toContain("Brenan");
    expect((await health.get(`/front-door/referrals/${referralId}`)).statusCode).toBe(404);
    const otherLa = await signIn(app, world.users.otherLaSw.email);
    expect((await otherLa.get(`/front-door/referrals/${referralId}`)).statusCode).toBe(404);
    const sw = await signIn(app, world.users.swA.email);
    expect((await sw.get(`/referrals/${referralId}`)).statusCode).toBe(404);
  });

  it("ends the front door's sight of the child after the decision, but for the manager who decided", async () => {
    const { app: later, clock } = await testApp(database);
    clock.advance(8 * 24 * 3600 * 1000);
    const manager = await signIn(later, world.users.tmA.email);
    expect((await manager.get(`/people/${world.people.childB1}`)).statusCode).toBe(404);
    const soon = await signIn(app, world.users.tmA.email);
    expect((await soon.get(`/people/${world.people.childB1}`)).statusCode).toBe(200);
    await later.close();
  });
});

describe("identification refuses what it must", () => {
  it("does not link a restricted record the manager may not see, nor a record of another LA", async () => {
    // Team B's manager is not named on Rosa's restricted record; Team A's manager is.
    const tmB = await database.db
      .insertInto("app_user")
      .values({
        la_id: world.laId,
        organisation_id: world.orgs.la,
        email: "tm.b@test.example",
        display_name: "tm.b",
        role: "team_manager",
        password_hash: await (await import("../auth/passwords.ts")).hashPassword(PASSWORD),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto("team_member")
      .values({ team_id: world.teams.fsB, user_id: tmB.id })
      .execute();
    const police = await signIn(app, world.users.police.email);
    const referralId = await refer(police, { givenName: "Rosa", familyName: "Quinlan" });
    const named = await signIn(app, world.users.tmA.email);
    expect((await named.get(`/front-door/referrals/${referralId}`)).body).toContain(
      world.people.restrictedChildA,
    );
    const manager = await signIn(app, "tm.b@test.example");
    const page = await manager.get(`/front-door/referrals/${referralId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain(world.people.restrictedChildA);
    for (const personId of [world.people.restrictedChildA, world.people.otherLaChild, "nope"]) {
      const refused = await manager.post(`/front-door/referrals/${referralId}/link`, { personId });
      expect(refused.statusCode, personId).toBe(400);
      expect(refused.body).toContain('href="#personId"');
    }
    const row = await database.db
      .selectFrom("partner_referral")
      .select("person_id")
      .where("id", "=", referralId)
      .executeTakeFirstOrThrow();
    expect(row.person_id).toBeNull();
  });

  it("puts a record with the referral's NHS number first, and will not create a second one", async () => {
    await database.db
      .updateTable("person")
      .set({ nhs_number: "9434765919" })
      .where("id", "=", world.people.childA2)
      .execute();
    const police = await signIn(app, world.users.police.email);
    const referralId = await refer(police, {
      givenName: "Olly",
      familyName: "Smith",
      nhsNumber: "943 476 5919",
    });
    const manager = await signIn(app, world.users.tmA.email);
    const page = await manager.get(`/front-door/referrals/${referralId}`);
    expect(page.body).toContain(`value="${world.people.childA2}"`);
    expect(page.body).toContain("Same NHS number or UPN");
    const people = async () =>
      Number(
        (
          await database.db
            .selectFrom("person")
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await people();
    const refused = await manager.post(`/front-door/referrals/${referralId}/new-person`, {});
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain("link the referral to it");
    expect(await people()).toBe(before);
  });

  it("refuses the service call to anyone but a partner, and to a manager identifying", async () => {
    const sw = await loadActor(database.db, world.users.swA.id);
    if (!sw) throw new Error("no actor");
    const input = {
      child: {
        givenName: "Test",
        familyName: "Child",
        dateOfBirth: null,
        address: "",
        postcode: "",
        nhsNumber: null,
        upn: null,
        school: "",
      },
      reasons: "A concern",
      referrer: { role: "Social worker", phone: "01632 960 002", email: "" },
      familyAware: "consented" as const,
      notToldReason: "",
    };
    await expect(makeReferral(database.db, sw, input, new Date())).rejects.toBeInstanceOf(AppError);
    const police = await loadActor(database.db, world.users.police.id);
    if (!police) throw new Error("no actor");
    await expect(
      makeReferral(database.db, police, { ...input, reasons: "" }, new Date()),
    ).rejects.toThrow();
  });
});
