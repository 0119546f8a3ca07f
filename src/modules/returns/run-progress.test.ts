import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp } from "../../../test/support/http.ts";
import { startRunAndWait, waitForRun } from "../../../test/support/return-runs.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";
import { insertCinPlan } from "../visits/test-plans.ts";
import { completeCinRun } from "./cin-run.ts";
import { runInBackground, startRun, STOPPED, waitForRuns } from "./run-lock.ts";
import { throttled, type ProgressState } from "./run-progress.ts";

let database: Database;
let world: World;
let app: FastifyInstance;
const year = "2025-26";

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  const who = { laId: world.laId, personId: world.people.childA1, userId: world.users.swA.id };
  await insertCinPlan(database.db, who, "2025-09-01");
  ({ app } = await testApp(database));
});

afterAll(async () => {
  await app.close();
});

/** A run row as a run in the middle of checking rules leaves it (silent for `silentFor`). */
async function runningRow(kind: "cin" | "903", silentFor = "0 seconds"): Promise<string> {
  const row = await database.db
    .insertInto("return_run")
    .values({
      la_id: world.laId,
      return_kind: kind,
      collection_year: kind === "903" ? "2024-25" : year,
      generated_by: world.users.performanceOfficer.id,
      status: "running",
      stage: "Checking 32,614 children against the DfE's rules",
      progress_done: 12000,
      progress_total: 32614,
      progress_unit: "children",
      progress_at: sql<Date>`clock_timestamp() - ${silentFor}::interval`,
      started_at: sql<Date>`clock_timestamp() - ${silentFor}::interval`,
      children: 0,
      errors: 0,
      queries: 0,
      schema_valid: false,
      file_xml: "",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

const officerWho = () => ({ laId: world.laId, userId: world.users.performanceOfficer.id });

async function auditCount(): Promise<number> {
  const row = await database.db
    .selectFrom("audit_log")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return row.n;
}

describe("a return's run in the background (decision 0040)", () => {
  it("answers the POST at once with the run page, and the run then finishes with its report", async () => {
    const officer = await signIn(app, world.users.performanceOfficer.email);
    await officer.get("/returns");
    const response = await officer.post("/returns/cin", { year });
    expect(response.statusCode).toBe(303);
    const id = /\/returns\/runs\/([0-9a-f-]{36})$/.exec(response.headers.location ?? "")?.[1];
    expect(id).toBeDefined();
    const started = await database.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "returns.start")
      .orderBy("seq", "desc")
      .executeTakeFirstOrThrow();
    expect(started).toMatchObject({ outcome: "allowed", subject_id: id, person_ids: [] });
    expect(await waitForRun(officer, id ?? "")).toEqual({ status: "done", error: null });
    const run = await database.db
      .selectFrom("return_run")
      .selectAll()
      .where("id", "=", id ?? "")
      .executeTakeFirstOrThrow();
    expect(run).toMatchObject({ status: "done", stage: null, error: null });
    expect(run.children).toBeGreaterThan(0);
    expect(run.finished_at).not.toBeNull();
    // The council-wide read is audited once, by the run, as the page always did.
    const generated = await database.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "returns.generate")
      .where("subject_id", "=", id ?? "")
      .execute();
    expect(generated).toHaveLength(1);
    expect(generated[0]).toMatchObject({ actor_user_id: world.users.performanceOfficer.id });
    expect(generated[0]?.summary).toMatchObject({ return: "cin", scope: "council-wide" });
    const page = await officer.get(`/returns/runs/${id ?? ""}`);
    expect(page.body).toContain('data-testid="summary"');
    expect(page.body).not.toContain("http-equiv");
  });

  it("reports its stages as it goes: reading, writing the file, the rules, saving", async () => {
    const heard: ProgressState[] = [];
    const run = await database.db
      .transaction()
      .execute((tx) => startRun(tx, officerWho(), "cin", "2024-25"));
    const actor = { ...officerWho(), organisationId: world.orgs.la };
    await completeCinRun(
      database.db,
      run.id,
      actor,
      "2024-25",
      new Date(),
      (stage, done, total, unit) => {
        heard.push({ stage, done, total, unit });
      },
    );
    const stages = [...new Set(heard.map((h) => h.stage))];
    expect(stages[0]).toBe("Reading the council's records");
    expect(stages[1]).toMatch(/^Writing the census file for \d+ children$/);
    expect(stages[2]).toMatch(/^Checking \d+ children against the DfE's rules$/);
    const rules = heard.filter((h) => h.stage === stages[2]);
    expect(rules[0]).toMatchObject({ done: 0, unit: "rules" });
    expect(rules.at(-1)?.done).toBe(rules.at(-1)?.total);
    expect(rules.at(-1)?.total).toBeGreaterThan(100);
    expect(stages).toContain("Saving the report");
  });

  it("shows a running run's progress bar, refreshing without JavaScript, and its progress as JSON", async () => {
    const id = await runningRow("cin");
    const officer = await signIn(app, world.users.performanceOfficer.email);
    const page = await officer.get(`/returns/runs/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<noscript><meta http-equiv="refresh" content="2"></noscript>');
    expect(page.body).toContain(
      "Checking 32,614 children against the DfE&#39;s rules: 12,000 of 32,614 children",
    );
    expect(page.body).toMatch(/<progress class="trellis-progress" max="32614" value="12000"/);
    expect(page.body).toContain('src="/assets/app/return-progress.mjs"');
    // Served as a static asset under the page's CSP nonce, never inline.
    expect(page.body).toMatch(
      /<script type="module" src="\/assets\/app\/return-progress.mjs" nonce="[0-9a-f]+">/,
    );
    const before = await auditCount();
    const poll = await officer.get(`/returns/runs/${id}/progress`, { accept: "application/json" });
    expect(poll.statusCode).toBe(200);
    expect(poll.headers["cache-control"]).toContain("no-store");
    expect(poll.json()).toEqual({
      status: "running",
      text: "Checking 32,614 children against the DfE's rules: 12,000 of 32,614 children",
      done: 12000,
      total: 32614,
      error: null,
      href: `/returns/runs/${id}`,
    });
    // The poll names no child: it is not a read of personal data and writes no audit row.
    expect(await auditCount()).toBe(before);
    const script = await officer.get("/assets/app/return-progress.mjs");
    expect(script.statusCode).toBe(200);
    await database.db.deleteFrom("return_run").where("id", "=", id).execute();
  });

  it("lets a second person starting the same return join the running run", async () => {
    const id = await runningRow("cin");
    const analyst = await signIn(app, world.users.analyst.email);
    await analyst.get("/returns");
    const response = await analyst.post("/returns/cin", { year });
    expect(response.headers.location).toBe(`/returns/runs/${id}`);
    expect((await latestAudit(database)).summary).toMatchObject({ joinedRunAlreadyStarted: true });
    const running = await database.db
      .selectFrom("return_run")
      .select("id")
      .where("status", "=", "running")
      .execute();
    expect(running).toEqual([{ id }]);
    await database.db.deleteFrom("return_run").where("id", "=", id).execute();
  });

  it("gives two people starting the same return at once one run", async () => {
    const officer = await signIn(app, world.users.performanceOfficer.email);
    const analyst = await signIn(app, world.users.analyst.email);
    await Promise.all([officer.get("/returns"), analyst.get("/returns")]);
    const [a, b] = await Promise.all([
      startRunAndWait(officer, "/returns/903", "2024-25"),
      startRunAndWait(analyst, "/returns/903", "2024-25"),
    ]);
    expect(a.id).toBe(b.id);
    expect(a.status).toBe("done");
  });

  it("marks failed, when next read, a run left running by a process that died", async () => {
    const id = await runningRow("903", "5 minutes");
    const officer = await signIn(app, world.users.performanceOfficer.email);
    const page = await officer.get(`/returns/903/runs/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("The run failed");
    expect(page.body).toContain("The run stopped before it finished");
    expect(page.body).not.toContain("http-equiv");
    expect(page.body).toContain('action="/returns/903"');
    const row = await database.db
      .selectFrom("return_run")
      .select(["status", "error"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "failed", error: STOPPED });
    // A new start does not join it: it starts a run of its own.
    const again = await startRunAndWait(officer, "/returns/903", "2024-25");
    expect(again.id).not.toBe(id);
  });

  it("says a run failed and why, and keeps no report or file of it", async () => {
    const run = await database.db
      .transaction()
      .execute((tx) => startRun(tx, officerWho(), "cin", year));
    runInBackground(database.db, { id: run.id, laId: world.laId, kind: "cin", year }, () =>
      Promise.reject(new Error("The census could not be written: the council has no code")),
    );
    await waitForRuns();
    const officer = await signIn(app, world.users.performanceOfficer.email);
    expect(await waitForRun(officer, run.id)).toEqual({
      status: "failed",
      error: "The census could not be written: the council has no code",
    });
    const page = await officer.get(`/returns/runs/${run.id}`);
    expect(page.body).toContain('data-testid="run-failed"');
    expect(page.body).toContain("the council has no code");
    expect((await officer.get(`/returns/runs/${run.id}/cin.xml`)).statusCode).toBe(409);
    const list = await officer.get("/returns");
    expect(list.body).toContain("None: the run failed");
  });

  it("refuses the progress to those without the returns permission and to another council", async () => {
    const id = await runningRow("cin");
    for (const user of [world.users.swA, world.users.police]) {
      const client = await signIn(app, user.email);
      const poll = await client.get(`/returns/runs/${id}/progress`, { accept: "application/json" });
      expect(poll.statusCode).toBe(404);
      expect((await client.get(`/returns/runs/${id}`)).statusCode).toBe(404);
      expect(await latestAudit(database)).toMatchObject({ outcome: "denied" });
    }
    // A performance officer of another council may not see this council's run.
    await database.db
      .updateTable("app_user")
      .set({ role: "performance_officer" })
      .where("id", "=", world.users.otherLaSw.id)
      .execute();
    const elsewhere = await signIn(app, world.users.otherLaSw.email);
    expect(
      (await elsewhere.get(`/returns/runs/${id}/progress`, { accept: "application/json" }))
        .statusCode,
    ).toBe(404);
    expect((await elsewhere.get(`/returns/runs/${id}`)).statusCode).toBe(404);
    const anonymous = await app.inject({ method: "GET", url: `/returns/runs/${id}/progress` });
    expect(anonymous.statusCode).not.toBe(200);
    expect(anonymous.body).not.toContain("32,614");
    await database.db.deleteFrom("return_run").where("id", "=", id).execute();
  });
});

describe("progress writes (decision 0040)", () => {
  it("writes at most every 250 ms, the newest state, and the last one on close", async () => {
    const written: { state: ProgressState; at: number }[] = [];
    const reporter = throttled((state) => {
      written.push({ state, at: Date.now() });
      return Promise.resolve();
    });
    const until = Date.now() + 700;
    let i = 0;
    while (Date.now() < until) {
      void reporter.progress("Checking rules", i++, 1_000_000, "rules");
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    void reporter.progress("Saving the report", 5, 10, "failures");
    await reporter.close();
    expect(written.length).toBeGreaterThanOrEqual(2);
    expect(written.length).toBeLessThanOrEqual(5);
    for (let w = 1; w < written.length - 1; w++) {
      expect((written[w]?.at ?? 0) - (written[w - 1]?.at ?? 0)).toBeGreaterThanOrEqual(240);
    }
    expect(written.at(-1)?.state).toEqual({
      stage: "Saving the report",
      done: 5,
      total: 10,
      unit: "failures",
    });
  });
});
