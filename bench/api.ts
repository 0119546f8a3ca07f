/**
 * Partner API benchmark (`npm run bench -- api`), on the shared large demo council on
 * PostgreSQL (bench/large-demo.ts; never generated here unless --build is given): the app
 * started in this process on a loopback port, 20 registered police clients each with its own
 * client-credentials token from Trellis' token endpoint, calling at once:
 *  - a child's record as JSON: p50/p95 and requests per second, and their ratio to the same
 *    reads run directly through Kysely at the same concurrency (client, person, details),
 *    and to those reads with the audit row written in one transaction, as the kernel does;
 *  - a page of the chronology (the first and, by its cursor, the next, alternately);
 *  - a contact submitted by a partner client (POST /api/v1/referrals);
 *  - the record page (HTML) for the same children, as the force's officers, for comparison.
 * Each figure is the median of 3 runs. JSON lines on stdout; a summary on stderr.
 * The 20 clients are registered once (named "Bench API client N") and their secrets rotated
 * each run; the contacts made are deleted at the end, so the shared database is left as it was
 * but for audit rows. Options: --runs N, --build (make the large demo if it is missing).
 */
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { loadActor, type Actor } from "../src/access/actor.ts";
import { apiActorOf, registerApiClient, rotateApiClientSecret } from "../src/api/clients.ts";
import { buildApp } from "../src/app.ts";
import { auditActorOf, writeAudit } from "../src/audit/audit.ts";
import { findVisiblePerson, recordDetails } from "../src/modules/people/queries.ts";
import { loadConfig } from "../src/platform/config.ts";
import type { Database } from "../src/platform/database.ts";
import { benchAdminUrl, generatorVersion, largeDemoDatabase, withDatabase } from "./large-demo.ts";
import { signInOverHttp } from "./support.ts";

const SUITE = "api";
const CLIENTS = 20;
const REQUESTS_PER_CLIENT = 50;
const CONTACTS_PER_CLIENT = 3;
const POLICE_OFFICER = "police.officer@northmoor.example";
const ADMIN = "system.admin@northmoor.example";

function emit(metric: string, value: number, unit: string): void {
  console.log(JSON.stringify({ suite: SUITE, metric, value: Math.round(value * 100) / 100, unit }));
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

const median = (values: number[]) => percentile(values, 50);

interface Run {
  latencies: number[];
  perSecond: number;
}

/** `work` for each of CLIENTS callers `times` times over, all at once; latencies and rate. */
async function concurrently(
  times: number,
  work: (caller: number, i: number) => Promise<void>,
): Promise<Run> {
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, caller) => {
      for (let i = 0; i < times; i += 1) {
        const t = performance.now();
        await work(caller, i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies, perSecond: latencies.length / ((performance.now() - started) / 1000) };
}

/** Refuses to regenerate the shared database (many minutes) unless asked to. */
async function openLargeDemo(build: boolean): Promise<Database> {
  const adminUrl = benchAdminUrl();
  const probe = await import("../src/platform/database.ts").then((m) =>
    m.openServer(withDatabase(adminUrl, "trellis_bench_large"), 1),
  );
  const marker = await sql<{ generator: string }>`select generator from bench_generator`
    .execute(probe.db)
    .catch(() => ({ rows: [] as { generator: string }[] }));
  await probe.close();
  if (marker.rows[0]?.generator !== (await generatorVersion()) && !build) {
    throw new Error(
      "The large demo database is missing or was made by other demo code; run with --build to make it (many minutes).",
    );
  }
  return largeDemoDatabase(adminUrl);
}

/** The bench's police clients, registered once and given fresh secrets each run. */
async function policeClients(database: Database, admin: Actor, policeId: string) {
  const now = new Date();
  const clients = [];
  for (let n = 1; n <= CLIENTS; n += 1) {
    const name = `Bench API client ${String(n)}`;
    const existing = await database.db
      .selectFrom("api_client")
      .select("id")
      .where("name", "=", name)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    clients.push(
      await database.db.transaction().execute((tx) =>
        existing
          ? rotateApiClientSecret(tx, admin, existing.id, now)
          : registerApiClient(
              tx,
              admin,
              {
                name,
                organisationId: policeId,
                permissions: ["person.view", "journey.view", "referral.make"],
                externalClientId: "",
                rateLimitPerMinute: 10_000,
              },
              now,
            ),
      ),
    );
  }
  return clients;
}

async function tokenFor(base: string, clientId: string, clientSecret: string): Promise<string> {
  const response = await fetch(`${base}/api/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: clientId,
      client_secret: clientSecret,
    }).toString(),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token (${String(response.status)})`);
  return body.access_token;
}

async function get(url: string, headers: Record<string, string>): Promise<string> {
  const response = await fetch(url, { headers });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${url} answered ${String(response.status)}`);
  return text;
}

interface Figures {
  record: Run;
  direct: Run;
  audited: Run;
  chronology: Run;
  contact: Run;
  page: Run;
}

async function oneRun(
  database: Database,
  base: string,
  tokens: string[],
  cookies: string[],
  clientIds: string[],
  children: string[],
): Promise<Figures> {
  const childOf = (caller: number, i: number) =>
    children[(caller * REQUESTS_PER_CLIENT + i) % children.length] ?? "";
  const bearer = (caller: number) => ({ authorization: `Bearer ${tokens[caller] ?? ""}` });

  const record = await concurrently(REQUESTS_PER_CLIENT, async (caller, i) => {
    await get(`${base}/api/v1/people/${childOf(caller, i)}`, bearer(caller));
  });

  // The same reads without HTTP, token or audit: the client's actor, the person, the details.
  const now = new Date();
  const direct = await concurrently(REQUESTS_PER_CLIENT, async (caller, i) => {
    const found = await apiActorOf(database.db, { clientId: clientIds[caller] ?? "" });
    if (!found) throw new Error("no client");
    const person = await findVisiblePerson(database.db, found.actor, childOf(caller, i), now);
    if (!person) throw new Error("person not visible");
    await recordDetails(database.db, found.actor, person, now);
  });

  // And with the audit row in one transaction, as the kernel writes it: what is left of the
  // gap is HTTP, the token, the contract and the JSON.
  const audited = await concurrently(REQUESTS_PER_CLIENT, async (caller, i) => {
    const found = await apiActorOf(database.db, { clientId: clientIds[caller] ?? "" });
    if (!found) throw new Error("no client");
    const personId = childOf(caller, i);
    await database.db.transaction().execute(async (tx) => {
      const person = await findVisiblePerson(tx, found.actor, personId, now);
      if (!person) throw new Error("person not visible");
      await recordDetails(tx, found.actor, person, now);
      await writeAudit(
        tx,
        auditActorOf(found.actor),
        {
          action: "person.view",
          outcome: "allowed",
          personIds: [personId],
          subjectType: "person",
          subjectId: personId,
          summary: { apiClient: clientIds[caller], bench: "direct" },
        },
        now,
      );
    });
  });

  // Each child's second page, by the cursor the first gave.
  const cursors = new Map<string, string>();
  const chronology = await concurrently(REQUESTS_PER_CLIENT, async (caller, i) => {
    const child = childOf(caller, Math.floor(i / 2));
    const cursor = i % 2 === 1 ? cursors.get(child) : undefined;
    const url = `${base}/api/v1/people/${child}/chronology?limit=20${cursor ? `&cursor=${cursor}` : ""}`;
    const page = JSON.parse(await get(url, bearer(caller))) as { next: string | null };
    if (!cursor && page.next) cursors.set(child, page.next);
  });

  const contact = await concurrently(CONTACTS_PER_CLIENT, async (caller, i) => {
    const response = await fetch(`${base}/api/v1/referrals`, {
      method: "POST",
      headers: { ...bearer(caller), "content-type": "application/json" },
      body: JSON.stringify({
        child: { givenName: `Bench${String(caller)}x${String(i)}`, familyName: "Bench-Contact" },
        reasons: "Synthetic contact made by the API benchmark.",
        referrer: { role: "Police constable", phone: "01632 960 001" },
        familyAware: "consented",
      }),
    });
    await response.arrayBuffer();
    if (response.status !== 201) throw new Error(`contact answered ${String(response.status)}`);
  });

  const page = await concurrently(REQUESTS_PER_CLIENT, async (caller, i) => {
    await get(`${base}/people/${childOf(caller, i)}`, {
      cookie: cookies[caller] ?? "",
      accept: "text/html",
    });
  });
  return { record, direct, audited, chronology, contact, page };
}

/** Deletes the contacts the bench's clients made: the shared database is left as it was. */
async function removeBenchContacts(database: Database, clientIds: string[]): Promise<number> {
  const users = await database.db
    .selectFrom("api_client")
    .select("service_user_id")
    .where("client_id", "in", clientIds)
    .execute();
  const ids = users.map((u) => u.service_user_id);
  if (ids.length === 0) return 0;
  return database.db.transaction().execute(async (tx) => {
    const referrals = await tx
      .deleteFrom("partner_referral")
      .where("referred_by", "in", ids)
      .returning("contact_id")
      .execute();
    const contacts = referrals.map((r) => r.contact_id);
    if (contacts.length > 0) await tx.deleteFrom("contact").where("id", "in", contacts).execute();
    return referrals.length;
  });
}

export async function runApiBench(args: string[]): Promise<void> {
  const runsAt = args.indexOf("--runs");
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
  const database = await openLargeDemo(args.includes("--build"));
  const app = await buildApp({
    database,
    config: { ...loadConfig({}), cookieSecret: "bench-cookie-secret-bench-cookie-secret" },
  });
  let clientIds: string[] = [];
  try {
    await app.listen({ port: 0, host: "127.0.0.1" });
    const base = `http://127.0.0.1:${String((app.server.address() as AddressInfo).port)}`;
    const officer = await database.db
      .selectFrom("app_user")
      .select(["organisation_id", "la_id"])
      .where("email", "=", POLICE_OFFICER)
      .executeTakeFirstOrThrow();
    const adminRow = await database.db
      .selectFrom("app_user")
      .select("id")
      .where("email", "=", ADMIN)
      .executeTakeFirstOrThrow();
    const admin = await loadActor(database.db, adminRow.id);
    if (!admin) throw new Error("no administrator");
    // The children shared with the force, those with the longest chronologies first.
    const children = (
      await database.db
        .selectFrom("record_share as s")
        .innerJoin("chronology_entry as c", "c.person_id", "s.person_id")
        .select("s.person_id")
        .where("s.organisation_id", "=", officer.organisation_id)
        .where("s.revoked_at", "is", null)
        .where((eb) =>
          eb.or([
            eb("s.expires_on", "is", null),
            eb("s.expires_on", ">=", new Date().toISOString().slice(0, 10)),
          ]),
        )
        .groupBy("s.person_id")
        .orderBy(sql`count(*)`, "desc")
        .orderBy("s.person_id")
        .limit(200)
        .execute()
    ).map((r) => r.person_id);
    if (children.length < CLIENTS) throw new Error("too few children shared with the police");

    const figures: Figures[] = [];
    for (let run = 0; run < runs; run += 1) {
      const clients = await policeClients(database, admin, officer.organisation_id);
      clientIds = clients.map((c) => c.clientId);
      const tokens = await Promise.all(
        clients.map((c) => tokenFor(base, c.clientId, c.clientSecret)),
      );
      const cookies: string[] = [];
      for (let n = 0; n < CLIENTS; n += 1) cookies.push(await signInOverHttp(base, POLICE_OFFICER));
      // Warm up before the first run: every child once, as JSON, its chronology and the page,
      // so whichever is timed first does not pay for a cold cache the others then find warm.
      for (const [n, child] of (run === 0 ? children : []).entries()) {
        const bearer = { authorization: `Bearer ${tokens[n % CLIENTS] ?? ""}` };
        await get(`${base}/api/v1/people/${child}`, bearer);
        await get(`${base}/api/v1/people/${child}/chronology?limit=20`, bearer);
        await get(`${base}/people/${child}`, { cookie: cookies[n % CLIENTS] ?? "" });
      }
      figures.push(await oneRun(database, base, tokens, cookies, clientIds, children));
    }

    const of = (key: keyof Figures, f: (run: Run) => number) =>
      median(figures.map((r) => f(r[key])));
    const p50 = (run: Run) => percentile(run.latencies, 50);
    const p95 = (run: Run) => percentile(run.latencies, 95);
    const rps = (run: Run) => run.perSecond;
    const ratio = median(figures.map((r) => r.record.perSecond / r.direct.perSecond));
    const auditedRatio = median(figures.map((r) => r.record.perSecond / r.audited.perSecond));
    const pageRatio = median(figures.map((r) => r.record.perSecond / r.page.perSecond));
    emit("record_json_p50_ms", of("record", p50), "ms");
    emit("record_json_p95_ms", of("record", p95), "ms");
    emit("record_json_rps", of("record", rps), "req/s");
    emit("record_reads_sql_p95_ms", of("direct", p95), "ms");
    emit("record_reads_sql_rps", of("direct", rps), "req/s");
    emit("record_json_to_sql_rps_ratio", ratio, "ratio");
    emit("record_reads_sql_audited_p95_ms", of("audited", p95), "ms");
    emit("record_reads_sql_audited_rps", of("audited", rps), "req/s");
    emit("record_json_to_sql_audited_rps_ratio", auditedRatio, "ratio");
    emit("chronology_page_p50_ms", of("chronology", p50), "ms");
    emit("chronology_page_p95_ms", of("chronology", p95), "ms");
    emit("chronology_page_rps", of("chronology", rps), "req/s");
    emit("contact_submit_p50_ms", of("contact", p50), "ms");
    emit("contact_submit_p95_ms", of("contact", p95), "ms");
    emit("contact_submit_rps", of("contact", rps), "req/s");
    emit("record_page_p50_ms", of("page", p50), "ms");
    emit("record_page_p95_ms", of("page", p95), "ms");
    emit("record_page_rps", of("page", rps), "req/s");
    emit("record_json_to_page_rps_ratio", pageRatio, "ratio");
    console.error(
      `Partner API on the large demo, ${String(CLIENTS)} concurrent clients, median of ${String(runs)} runs:\n` +
        `  child's record as JSON: p50 ${of("record", p50).toFixed(1)} ms, p95 ${of("record", p95).toFixed(1)} ms, ${of("record", rps).toFixed(0)} req/s;\n` +
        `  the same reads in SQL: p95 ${of("direct", p95).toFixed(1)} ms, ${of("direct", rps).toFixed(0)} req/s (API/SQL ${ratio.toFixed(2)});\n` +
        `  the same reads and the audit row in one transaction: p95 ${of("audited", p95).toFixed(1)} ms, ${of("audited", rps).toFixed(0)} req/s (API/that ${auditedRatio.toFixed(2)});\n` +
        `  chronology page (20 entries, first or by cursor): p50 ${of("chronology", p50).toFixed(1)} ms, p95 ${of("chronology", p95).toFixed(1)} ms, ${of("chronology", rps).toFixed(0)} req/s;\n` +
        `  contact by a partner client: p50 ${of("contact", p50).toFixed(1)} ms, p95 ${of("contact", p95).toFixed(1)} ms, ${of("contact", rps).toFixed(0)} req/s;\n` +
        `  record page (HTML): p50 ${of("page", p50).toFixed(1)} ms, p95 ${of("page", p95).toFixed(1)} ms, ${of("page", rps).toFixed(0)} req/s (API/page ${pageRatio.toFixed(2)}).`,
    );
  } finally {
    const removed = await removeBenchContacts(database, clientIds).catch((error: unknown) => {
      console.error("Could not remove the bench's contacts:", error);
      return 0;
    });
    if (removed > 0) console.error(`Removed the ${String(removed)} contacts the bench made.`);
    await app.close();
    await database.close();
  }
}
