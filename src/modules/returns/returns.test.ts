import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp, type Client } from "../../../test/support/http.ts";
import { startRunAndWait } from "../../../test/support/return-runs.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";
import { insertCinPlan } from "../visits/test-plans.ts";
import { validateAgainstCinSchema } from "./xsd.ts";

let database: Database;
let world: World;
let app: FastifyInstance;

/** The year whose period holds the test clock's today. */
async function currentYearOf(client: Client): Promise<string> {
  const page = await client.get("/returns");
  return /<option value="([0-9-]+)" selected/.exec(page.body)?.[1] ?? "2025-26";
}

async function generate(client: Client, year: string): Promise<string> {
  const run = await startRunAndWait(client, "/returns/cin", year);
  expect(run).toMatchObject({ status: "done", location: `/returns/runs/${run.id}` });
  return run.id;
}

let year = "2025-26";
const start = () => `${year.slice(0, 4)}-05-01`;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  const officer = await signIn(app, world.users.performanceOfficer.email);
  year = await currentYearOf(officer);
  const who = (personId: string) => ({ laId: world.laId, personId, userId: world.users.swA.id });
  // childA1: a CIN plan on a referral with no primary need and no ethnicity: an error each.
  await insertCinPlan(database.db, who(world.people.childA1), start());
  await database.db
    .updateTable("person")
    .set({ ethnicity: null })
    .where("id", "=", world.people.childA1)
    .execute();
  // The restricted child is in the return, but is never opened from the report.
  await insertCinPlan(database.db, who(world.people.restrictedChildA), start());
  await database.db
    .updateTable("app_user")
    .set({ role: "performance_officer" })
    .where("id", "=", world.users.otherLaSw.id)
    .execute();
});

describe("the CIN census in the returns module", () => {
  let runId = "";

  it("generates this year's return for the council as an audited council-wide read", async () => {
    const officer = await signIn(app, world.users.performanceOfficer.email);
    runId = await generate(officer, year);
    const audit = await latestAudit(database);
    expect(audit).toMatchObject({ action: "returns.generate", outcome: "allowed" });
    expect(audit.summary).toMatchObject({ return: "cin", year, scope: "council-wide" });
    const run = await database.db
      .selectFrom("return_run")
      .selectAll()
      .where("id", "=", runId)
      .executeTakeFirstOrThrow();
    expect(run.children).toBe(2);
    expect(run.la_id).toBe(world.laId);
    expect(run.errors).toBeGreaterThan(0);
  });

  it("reports each failure by rule, naming the child and linking to the fix", async () => {
    const officer = await signIn(app, world.users.performanceOfficer.email);
    const page = await officer.get(`/returns/runs/${runId}`);
    expect(page.statusCode).toBe(200);
    const childId = (
      await database.db
        .selectFrom("person")
        .select("la_child_id")
        .where("id", "=", world.people.childA1)
        .executeTakeFirstOrThrow()
    ).la_child_id;
    expect(page.body).toContain(childId);
    expect(page.body).toMatch(/Rule 4220 \(error\)/); // ethnicity missing
    expect(page.body).toContain(
      `/returns/runs/${runId}/children/${world.people.childA1}#Ethnicity`,
    );
    // The schema's complaint names the child it is about and links to where it is fixed.
    const schemaErrors = /data-testid="schema-errors">(.*?)<\/ul>/s.exec(page.body)?.[1] ?? "";
    expect(schemaErrors).toContain(`Child ${childId} (`);
    expect(schemaErrors).toContain(
      `href="/returns/runs/${runId}/children/${world.people.childA1}"`,
    );
    expect(schemaErrors).toMatch(/Ethnicity/);
    // The restricted child is counted but never named or linked.
    expect(page.body).not.toContain(`/children/${world.people.restrictedChildA}`);
    expect(page.body).toContain("Restricted record");
    expect(page.body).toMatch(/cannot be downloaded yet/);
    const audit = await latestAudit(database);
    expect(audit.action).toBe("returns.report.view");
    expect(audit.person_ids).toContain(world.people.childA1);
  });

  it("lets the officer correct the ethnicity, and the next run no longer reports it", async () => {
    const officer = await signIn(app, world.users.performanceOfficer.email);
    const url = `/returns/runs/${runId}/children/${world.people.childA1}`;
    const form = await officer.get(url);
    expect(form.statusCode).toBe(200);
    const version = /name="version" value="(\d+)"/.exec(form.body)?.[1] ?? "";
    const bad = await officer.post(url, { version, ethnicity: "NOPE", upn: "X123" });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain("Choose the ethnicity from the list");
    const unchanged = await database.db
      .selectFrom("person")
      .select("ethnicity")
      .where("id", "=", world.people.childA1)
      .executeTakeFirstOrThrow();
    expect(unchanged.ethnicity).toBeNull();
    const saved = await officer.post(url, { version, ethnicity: "WIRI", upn_unknown: "UN4" });
    expect(saved.statusCode).toBe(303);
    expect((await latestAudit(database)).action).toBe("returns.child.correct");
    const again = await generate(officer, year);
    const failures = await database.db
      .selectFrom("return_failure")
      .select(["rule", "field"])
      .where("run_id", "=", again)
      .where("person_id", "=", world.people.childA1)
      .execute();
    expect(failures.map((f) => f.field)).not.toContain("Ethnicity");
    expect(failures.map((f) => f.field)).toContain("PrimaryNeedCode");
  });

  it("keeps a query's answer and carries it to the same child and rule in later runs", async () => {
    const officer = await signIn(app, world.users.performanceOfficer.email);
    const latest = await generate(officer, year);
    const query = await database.db
      .selectFrom("return_failure")
      .select(["position", "rule", "la_child_id"])
      .where("run_id", "=", latest)
      .where("severity", "=", "query")
      .where("la_child_id", "is not", null)
      .executeTakeFirst();
    // Every collection year has queries on a CIN plan without an assessment and the like.
    expect(query).toBeDefined();
    if (!query) return;
    const empty = await officer.post(`/returns/runs/${latest}/answers`, {
      position: String(query.position),
      reason: "",
    });
    expect(empty.statusCode).toBe(400);
    const answer = await officer.post(`/returns/runs/${latest}/answers`, {
      position: String(query.position),
      reason: "Checked with the team: correct as recorded",
    });
    expect(answer.statusCode).toBe(303);
    const next = await generate(officer, year);
    const page = await officer.get(`/returns/runs/${next}`);
    expect(page.body).toContain("Checked with the team: correct as recorded");
    expect(page.body).toContain("Answered");
  });

  it("downloads the report as CSV, formula-safe, and refuses the XML while errors remain", async () => {
    const officer = await signIn(app, world.users.performanceOfficer.email);
    const csv = await officer.get(`/returns/runs/${runId}/report.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toMatch(/text\/csv/);
    expect(csv.body.split("\r\n")[0]).toBe(
      "rule,severity,message,la_child_id,name,field,value,corrected_by,answer",
    );
    expect(csv.body).toMatch(/^4220,error,/m);
    const xml = await officer.get(`/returns/runs/${runId}/cin.xml`);
    expect(xml.statusCode).toBe(409);
    // The kept file is the one generated, and the DfE's schema accepts its structure.
    const run = await database.db
      .selectFrom("return_run")
      .select("file_xml")
      .where("id", "=", runId)
      .executeTakeFirstOrThrow();
    expect(run.file_xml).toContain("<Collection>CIN</Collection>");
  });

  it("shows the analyst the counts by rule but never a named child", async () => {
    const analyst = await signIn(app, world.users.analyst.email);
    const page = await analyst.get(`/returns/runs/${runId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/Rule 4220 \(error\)/);
    expect(page.body).toContain('data-testid="schema-errors"');
    expect(page.body).not.toMatch(/Child [0-9A-Za-z]+ \(/);
    expect(page.body).not.toContain(`/children/${world.people.childA1}`);
    expect(page.body).not.toMatch(/ChildA1|Restricted record/);
    const child = await analyst.get(`/returns/runs/${runId}/children/${world.people.childA1}`);
    expect(child.statusCode).toBe(404);
    const csv = await analyst.get(`/returns/runs/${runId}/report.csv`);
    expect(csv.body.split("\r\n")[0]).toBe("rule,severity,message,count,answered");
    const answer = await analyst.post(`/returns/runs/${runId}/answers`, {
      position: "0",
      reason: "x",
    });
    expect(answer.statusCode).toBe(404);
  });

  it("refuses the social worker, the partner and the administrator, and hides another council's runs", async () => {
    for (const user of [world.users.swA, world.users.police, world.users.admin]) {
      const client = await signIn(app, user.email);
      expect((await client.get("/returns")).statusCode).toBe(404);
      expect((await client.get(`/returns/runs/${runId}`)).statusCode).toBe(404);
      expect((await client.post("/returns/cin", { year })).statusCode).toBe(404);
    }
    const elsewhere = await signIn(app, world.users.otherLaSw.email);
    expect((await elsewhere.get("/returns")).body).not.toContain(runId);
    expect((await elsewhere.get(`/returns/runs/${runId}`)).statusCode).toBe(404);
    expect((await elsewhere.get(`/returns/runs/${runId}/cin.xml`)).statusCode).toBe(404);
    const child = `/returns/runs/${runId}/children/${world.people.childA1}`;
    expect((await elsewhere.get(child)).statusCode).toBe(404);
    expect((await elsewhere.post(child, { ethnicity: "WBRI", version: "1" })).statusCode).toBe(404);
  });

  it("refuses a year it has no rules for, and saves no run", async () => {
    const officer = await signIn(app, world.users.performanceOfficer.email);
    const before = await database.db.selectFrom("return_run").select("id").execute();
    const response = await officer.post("/returns/cin", { year: "1999-00" });
    expect(response.statusCode).toBe(400);
    const after = await database.db.selectFrom("return_run").select("id").execute();
    expect(after).toHaveLength(before.length);
  });

  it("writes a schema-valid file once the records are complete", async () => {
    const { file_xml } = await database.db
      .selectFrom("return_run")
      .select("file_xml")
      .orderBy("generated_at", "desc")
      .limit(1)
      .executeTakeFirstOrThrow();
    expect((await validateAgainstCinSchema(file_xml)).valid).toBe(true);
  });

  it("gives two people generating the same return at once one run", async () => {
    const officer = await signIn(app, world.users.performanceOfficer.email);
    const analyst = await signIn(app, world.users.analyst.email);
    const [a, b] = await Promise.all([generate(officer, year), generate(analyst, year)]);
    expect(a).toBe(b);
  });
});
