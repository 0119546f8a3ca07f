import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp, type Client } from "../../../test/support/http.ts";
import { startRunAndWait } from "../../../test/support/return-runs.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";

let database: Database;
let world: World;
let app: FastifyInstance;
let childId = "";
let episodeId = "";

async function generate(client: Client, year: string): Promise<string> {
  const run = await startRunAndWait(client, "/returns/903", year);
  expect(run).toMatchObject({ status: "done", location: `/returns/903/runs/${run.id}` });
  return run.id;
}

const failuresOf = (runId: string) =>
  database.db
    .selectFrom("return_failure")
    .select(["rule", "field", "table_name", "record_id", "person_id", "position"])
    .where("run_id", "=", runId)
    .orderBy("position")
    .execute();

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  const db = database.db;
  // childA1: looked after since June 2023 with no referral, so no category of need (rule 145);
  // the placement postcode as a hostile cell, which the CSV must neutralise.
  const episode = await db
    .insertInto("cla_episode")
    .values({
      la_id: world.laId,
      person_id: world.people.childA1,
      start_date: "2023-06-01",
      reason_new_episode: "S",
      legal_status: "C2",
      placement_type: "U4",
      placement_provider: "PR1",
      placement_postcode: "=HYPER",
      recorded_by: world.users.swA.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  episodeId = episode.id;
  childId = (
    await db
      .selectFrom("person")
      .select("la_child_id")
      .where("id", "=", world.people.childA1)
      .executeTakeFirstOrThrow()
  ).la_child_id;
  await db
    .updateTable("app_user")
    .set({ role: "performance_officer" })
    .where("id", "=", world.users.otherLaSw.id)
    .execute();
});

describe("SSDA903 runs on /returns", () => {
  let lastYear = "";
  let runId = "";

  it("generates last year's and this year's return as audited council-wide reads, the second using the first", async () => {
    const officer = await signIn(app, world.users.performanceOfficer.email);
    expect((await officer.get("/returns")).body).toContain('action="/returns/903"');
    lastYear = await generate(officer, "2023-24");
    await database.db
      .updateTable("person")
      .set({ ethnicity: "WIRI" })
      .where("id", "=", world.people.childA1)
      .execute();
    runId = await generate(officer, "2024-25");
    const audit = await latestAudit(database);
    expect(audit).toMatchObject({ action: "returns.generate", outcome: "allowed" });
    expect(audit.summary).toMatchObject({ return: "903", year: "2024-25", scope: "council-wide" });
    expect(audit.person_ids).toContain(world.people.childA1);
    const run = await database.db
      .selectFrom("return_run")
      .selectAll()
      .where("id", "=", runId)
      .executeTakeFirstOrThrow();
    expect(run).toMatchObject({ return_kind: "903", children: 1, previous_run_id: lastYear });
    const rules = (await failuresOf(runId)).map((f) => f.rule);
    expect(rules).toContain("145");
    // The ethnicity changed since last year's run: 204 compares the two.
    expect(rules).toContain("204");
    // Last year's run has no rules of its own: it is kept to compare with.
    expect(await failuresOf(lastYear)).toEqual([]);
    const past = await officer.get("/returns");
    expect(past.body).toContain(`/returns/903/runs/${runId}`);
    expect(past.body).toContain("SSDA903 2024-25");
  });

  it("links each failure to the child, and the child's page to the episode it is about", async () => {
    const officer = await signIn(app, world.users.performanceOfficer.email);
    const page = await officer.get(`/returns/903/runs/${runId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/Rule 145: /);
    expect(page.body).toContain(childId);
    const failure = (await failuresOf(runId)).find((f) => f.rule === "145");
    expect(failure).toMatchObject({
      table_name: "Episodes",
      record_id: episodeId,
      person_id: world.people.childA1,
    });
    const href = `/returns/903/runs/${runId}/children/${world.people.childA1}#failure-${String(failure?.position)}`;
    expect(page.body).toContain(href);
    expect((await latestAudit(database)).person_ids).toContain(world.people.childA1);
    const child = await officer.get(href.split("#")[0] ?? "");
    expect(child.statusCode).toBe(200);
    expect(child.body).toContain(`id="failure-${String(failure?.position)}"`);
    expect(child.body).toContain("On the episode from 1 June 2023");
    // The officer does not see the case record: the worker fixes it there.
    expect(child.body).not.toContain('data-testid="fix-link"');
    expect(child.body).toContain("the looked-after episodes, by");
    expect(await latestAudit(database)).toMatchObject({ action: "returns.child.view" });
    // A `/returns/runs/:id` link to a 903 run goes to the 903's report.
    const old = await officer.get(`/returns/runs/${runId}`);
    expect(old.headers.location).toBe(`/returns/903/runs/${runId}`);
  });

  it("downloads one CSV per table with the DfE's columns, formula cells neutralised, audited", async () => {
    const officer = await signIn(app, world.users.performanceOfficer.email);
    const file = await officer.get(`/returns/903/runs/${runId}/files/Episodes`);
    expect(file.statusCode).toBe(200);
    expect(file.headers["content-disposition"]).toContain('filename="Episodes.csv"');
    const [header, row] = file.body.split("\r\n");
    expect(header).toBe(
      "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN",
    );
    expect(row).toContain(`${childId},01/06/2023,S,C2,,U4,PR1`);
    expect(row).toContain("'=HYPER");
    expect(await latestAudit(database)).toMatchObject({
      action: "returns.file.download",
      person_ids: [world.people.childA1],
    });
    expect((await officer.get(`/returns/903/runs/${runId}/files/Nope`)).statusCode).toBe(404);
    const report = await officer.get(`/returns/903/runs/${runId}/report.csv`);
    expect(report.body).toContain(`145,error,`);
  });

  it("shows the failure gone when the return is run again after the fix", async () => {
    await database.db
      .insertInto("referral")
      .values({
        la_id: world.laId,
        person_id: world.people.childA1,
        referral_date: "2023-05-01",
        source: "1A",
        primary_need: "N1",
        opened_by: world.users.swA.id,
      })
      .execute();
    const officer = await signIn(app, world.users.performanceOfficer.email);
    const again = await generate(officer, "2024-25");
    expect((await failuresOf(again)).map((f) => f.rule)).not.toContain("145");
  });

  it("shows the analyst counts only, and refuses the social worker, the partner and another council", async () => {
    const analyst = await signIn(app, world.users.analyst.email);
    const page = await analyst.get(`/returns/903/runs/${runId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain(childId);
    const child = `/returns/903/runs/${runId}/children/${world.people.childA1}`;
    expect((await analyst.get(child)).statusCode).toBe(404);
    for (const user of [world.users.swA, world.users.police]) {
      const client = await signIn(app, user.email);
      expect((await client.post("/returns/903", { year: "2024-25" })).statusCode).toBe(404);
      expect(await latestAudit(database)).toMatchObject({ outcome: "denied" });
      expect((await client.get(`/returns/903/runs/${runId}`)).statusCode).toBe(404);
      expect((await client.get(`/returns/903/runs/${runId}/files/Episodes`)).statusCode).toBe(404);
      expect((await client.get(child)).statusCode).toBe(404);
      expect(await latestAudit(database)).toMatchObject({
        outcome: "denied",
        person_ids: [world.people.childA1],
      });
    }
    const elsewhere = await signIn(app, world.users.otherLaSw.email);
    expect((await elsewhere.get(`/returns/903/runs/${runId}`)).statusCode).toBe(404);
    expect((await elsewhere.get(`/returns/903/runs/${runId}/files/Header`)).statusCode).toBe(404);
    expect((await elsewhere.get(child)).statusCode).toBe(404);
  });

  it("refuses a year it has no rules or tables for, saying which it has", async () => {
    const officer = await signIn(app, world.users.performanceOfficer.email);
    const response = await officer.post("/returns/903", { year: "1999-00" });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("2023-24 or 2024-25");
  });
});
