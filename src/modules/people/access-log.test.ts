import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import { auditCategory, auditKinds, isAuditKind } from "../../audit/kinds.ts";
import { writeAudit } from "../../audit/audit.ts";
import type { Database } from "../../platform/database.ts";

let database: Database;
let world: World;
let app: FastifyInstance;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
});

/** The rows of one part of the page ("change", "view", "list", "other"), as text. */
function part(body: string, name: string): string {
  const match = new RegExp(`data-testid="access-log-${name}"[\\s\\S]*?</table>`).exec(body);
  return match?.[0] ?? "";
}

describe("the audit kinds", () => {
  it("lists every kind a registered route writes, with plain words", () => {
    const used = [...new Set(app.routeTable.map((r) => r.audit))].filter((k) => k !== "none");
    expect(used.length).toBeGreaterThan(50);
    expect(used.filter((kind) => !isAuditKind(kind))).toEqual([]);
  });

  it("never logs opening a page or a form as a change", () => {
    const gets = app.routeTable.filter((r) => r.method === "GET" && r.audit !== "none");
    const asChanges = gets
      .filter((r) => auditCategory(r.audit) === "change")
      .map((r) => `${r.method} ${r.url}: ${r.audit}`);
    expect(asChanges).toEqual([]);
  });
});

describe("who has viewed this record", () => {
  it("shows a police officer who only opened the case-note form as a view, not as adding a note", async () => {
    const police = await signIn(app, world.users.police.email);
    expect((await police.get(`/people/${world.people.childA1}/notes/new`)).statusCode).toBe(200);
    const tm = await signIn(app, world.users.tmA.email);
    const page = await tm.get(`/people/${world.people.childA1}/access-log`);
    expect(page.statusCode).toBe(200);
    expect(part(page.body, "view")).toContain("Opened the form to add a case note");
    expect(page.body).not.toContain("Added a case note");
  });

  it("shows a manager who only loaded the reallocation form as a view, not as reallocating", async () => {
    const tm = await signIn(app, world.users.tmA.email);
    const form = await tm.get(`/people/${world.people.childA2}/allocations/reallocate`);
    expect(form.statusCode).toBe(200);
    const page = await tm.get(`/people/${world.people.childA2}/access-log`);
    expect(part(page.body, "view")).toContain("Opened the form to reallocate");
    expect(page.body).not.toContain("Reallocated");
  });

  it("separates changes from views, and shows no audit code anywhere", async () => {
    const sw = await signIn(app, world.users.swA.email);
    await sw.get(`/people/${world.people.childA1}`);
    await sw.get(`/people/${world.people.childA1}/contacts/new`);
    await sw.get(`/people/${world.people.childA1}/close`);
    const saved = await sw.post(`/people/${world.people.childA1}/notes`, {
      "occurredOn-day": "1",
      "occurredOn-month": "3",
      "occurredOn-year": "2026",
      note: "Spoke to the child at school; all well.",
    });
    expect(saved.statusCode).toBe(303);
    // A row of a kind this version does not know (e.g. from a newer release) still reads plainly.
    await database.db
      .transaction()
      .execute((tx) =>
        writeAudit(
          tx,
          { userId: world.users.swA.id, laId: world.laId, organisationId: world.orgs.la },
          { action: "mystery.kind", outcome: "allowed", personIds: [world.people.childA1] },
          new Date(),
        ),
      );
    const tm = await signIn(app, world.users.tmA.email);
    const page = await tm.get(`/people/${world.people.childA1}/access-log`);
    expect(part(page.body, "change")).toContain("Added a case note");
    expect(part(page.body, "view")).not.toContain("Added a case note");
    expect(part(page.body, "view")).toContain("Viewed the record");
    expect(part(page.body, "view")).toContain("Opened the form to record a contact");
    expect(part(page.body, "view")).toContain("Opened the form to close the case");
    expect(part(page.body, "other")).toContain("Other activity");
    const codes = [...Object.keys(auditKinds), "mystery.kind"];
    expect(codes.filter((code) => page.body.includes(code))).toEqual([]);
  });

  it("lets the manager leave out appearances in lists", async () => {
    await signIn(app, world.users.swA.email); // the home page lists the caseload
    const tm = await signIn(app, world.users.tmA.email);
    const all = await tm.get(`/people/${world.people.childA2}/access-log`);
    expect(part(all.body, "list")).toContain("Listed on their caseload");
    expect(all.body).toContain(`href="/people/${world.people.childA2}/access-log?lists=hide"`);
    const hidden = await tm.get(`/people/${world.people.childA2}/access-log?lists=hide`);
    expect(hidden.statusCode).toBe(200);
    expect(hidden.body).not.toContain("Listed on their caseload");
    expect(part(hidden.body, "view")).toContain("Viewed this access log");
  });

  it("is shown to nobody who may not view the access log", async () => {
    for (const user of [world.users.swA, world.users.police, world.users.analyst]) {
      const client = await signIn(app, user.email);
      const page = await client.get(`/people/${world.people.childA1}/access-log?lists=hide`);
      expect(page.statusCode, user.email).toBe(404);
    }
  });
});

describe("a refused request", () => {
  it("names the family an analyst asked for", async () => {
    const family = await database.db.selectFrom("family").select("id").executeTakeFirstOrThrow();
    const analyst = await signIn(app, world.users.analyst.email);
    expect((await analyst.get(`/families/${family.id}`)).statusCode).toBe(404);
    expect(await latestAudit(database)).toMatchObject({
      action: "family.view",
      outcome: "denied",
      subject_type: "family",
      subject_id: family.id,
      summary: { reason: "permission", route: "/families/:id" },
    });
  });

  it("names the person when the route is about one, and marks a malformed id", async () => {
    const analyst = await signIn(app, world.users.analyst.email);
    await analyst.get(`/people/${world.people.childA1}/journey`);
    expect(await latestAudit(database)).toMatchObject({
      outcome: "denied",
      subject_type: "person",
      subject_id: world.people.childA1,
      person_ids: [world.people.childA1],
      summary: { route: "/people/:id/journey" },
    });
    await analyst.get("/contexts/not-an-id");
    expect(await latestAudit(database)).toMatchObject({
      outcome: "denied",
      subject_type: "context",
      subject_id: null,
      summary: { malformedId: true, route: "/contexts/:id" },
    });
  });
});
