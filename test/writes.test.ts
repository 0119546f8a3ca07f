import { sql } from "kysely";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasPermission, isRole, type Permission } from "../src/access/permissions.ts";
import { isRecordingPermission } from "../src/access/recording.ts";
import type { Database } from "../src/platform/database.ts";
import { freshDatabase, latestAudit } from "./support/database.ts";
import { dateFields } from "./support/forms.ts";
import { signIn, testApp, type Client } from "./support/http.ts";
import { recordsAbout, type RecordsAbout } from "./support/records-about.ts";
import { buildWorld, PASSWORD, type World } from "./support/world.ts";

/**
 * Every write route, enumerated from the route table so that a new one is covered the day it
 * is added: nobody holding only emergency (break-glass) access to a child may change anything
 * about the child, and no role without a route's permission may use it. "Nothing saved" is
 * checked on the data itself (a fingerprint of every table), not only on the status code.
 */

/**
 * Write routes that are not about an existing child's record, each with the reason. Adding one
 * here is a security decision. Every other write route is about the child and is tested below.
 */
const notAboutAChildsRecord: Record<string, string> = {
  "POST /sign-in": "signs in",
  "POST /sign-out": "ends one's own session",
  "POST /people": "adds a new person: there is no record yet",
  "POST /people/check": "looks for the person before adding them: saves nothing (decision 0022)",
  "POST /front-door/possible-duplicates/:id":
    "the front door's check of a possible duplicate: changes neither record (decision 0022)",
  "POST /break-glass/search": "emergency access itself: finding the person",
  "POST /break-glass": "emergency access itself: the grant",
  "POST /break-glass/:id/review": "a manager's review of a grant",
  "POST /break-glass/searches/:id/review": "a manager's review of an emergency-access search",
  "POST /admin/users": "user accounts",
  "POST /admin/users/:id/unlock": "user accounts",
  "POST /admin/users/:id/deactivate": "user accounts",
  "POST /admin/users/:id/head-of-service": "user accounts",
  "POST /admin/visit-frequencies": "the council's settings",
  "POST /admin/instruments": "the council's settings",
  "POST /admin/exploitation-checklist": "the council's settings",
  "POST /contexts": "a context is about a place or a group, not a child (decision 0014)",
  "POST /contexts/:id/assessment": "a context, not a child",
  "POST /contexts/:id/actions": "a context, not a child",
  "POST /contexts/:id/actions/:actionId": "a context, not a child",
  "POST /contexts/:id/reviews": "a context, not a child",
  "POST /contexts/:id/close": "a context, not a child",
  "POST /panels": "a panel, not a child",
  "POST /panels/:id/meetings": "a panel's meeting, not a child",
  "POST /panels/meetings/:id/attendees": "a panel's meeting, not a child",
  "POST /panels/meetings/:id/agenda": "names the child in the form: tested on its own below",
  "POST /network/persons/:id/risk": "a person of concern, not a child",
  "POST /incidents": "names the children in the form: tested on its own below",
  "POST /returns/cin":
    "generates a council-wide statutory return: changes no record (decision 0031)",
  "POST /returns/check-file":
    "checks a census file made by another system: keeps nothing of it, changes no record (decision 0039)",
  "POST /returns/903":
    "generates a council-wide statutory return: changes no record (decision 0037)",
  "POST /returns/dfe-feed/send":
    "sends the council's changed records to the DfE: changes no record (decision 0034)",
  "POST /returns/runs/:id/answers":
    "a performance officer's answer to a return's query, kept with the run, not on a record (decision 0031)",
  "POST /admin/api-clients": "a partner system's registration (decision 0030)",
  "POST /admin/api-clients/:id/rotate": "a partner system's registration",
  "POST /admin/api-clients/:id/revoke": "a partner system's registration",
  "POST /referrals": "a partner's referral names no record: the front door identifies the child",
  "POST /front-door/referrals/:referralId/link":
    "the front door identifies a referral's child on its own authority, not through emergency access (decision 0025): tested on its own below",
  "POST /front-door/referrals/:referralId/new-person":
    "creates a new record from a partner's referral: there is no record yet",
};

/**
 * The sweeps post to every write route and fingerprint every table around each post: on a
 * shared, busy machine that outgrows Vitest's default 30 seconds as routes and tables grow.
 */
const SWEEP_TIMEOUT_MS = 180_000;

/** Routes about a child's record without the child in the URL: the URL names what they act on. */
const aboutAChildBy = ["/families/", "/contacts/", "/panels/agenda/", "/panels/actions/"];

interface Route {
  method: string;
  url: string;
  permission: string;
  personParam?: string;
}

const key = (r: Route) => `${r.method} ${r.url}`;

/** The few write routes that name the record they act on in the form rather than the URL. */
function bodyFor(route: Route, r: RecordsAbout): Record<string, string> {
  switch (key(route)) {
    case "POST /people/:id/conferences":
      return { planId: r.cpPlanId };
    case "POST /families/:id/workbook/measures":
      return { person: r.personId, instrument: "dash_risk_checklist", instrumentVersion: "1" };
    default:
      return {};
  }
}

function aboutTheChild(route: Route): boolean {
  return route.personParam !== undefined || aboutAChildBy.some((p) => route.url.startsWith(p));
}

/** The route's URL with every parameter filled by a real record about the child. */
function urlFor(url: string, r: RecordsAbout): string {
  return url.replace(/:(\w+)/g, (_match, name: string) => {
    switch (name) {
      case "id":
        if (url.startsWith("/people/")) return r.personId;
        if (url.startsWith("/families/")) return r.familyId;
        if (url.startsWith("/panels/agenda/")) return r.agendaItemId;
        if (url.startsWith("/panels/actions/")) return r.panelActionId;
        if (url.startsWith("/returns/runs/")) return r.returnRunId;
        break;
      case "personId":
        return r.personId;
      case "shareId":
        return r.shareId;
      case "contactId":
        return r.contactId;
      case "assessmentId":
        return r.assessmentId;
      case "itemId":
        return url.includes("/cin-plans/") ? r.cinPlanId : r.earlyHelpId;
      case "s47Id":
        return r.s47Id;
      case "planId":
        return r.cpPlanId;
      case "episodeId":
        return url.includes("/missing/") ? r.missingEpisodeId : r.claEpisodeId;
      case "alertId":
        return url.startsWith("/families/") ? r.measureAlertId : r.networkAlertId;
      case "discipline":
        return "child";
      case "goalId":
        return r.planGoalId;
      case "actionId":
        return url.includes("/supervision/") ? r.supervisionActionId : r.planActionId;
      case "fgcId":
        return r.fgcId;
      case "sessionId":
        return r.supervisionId;
      case "workItemId":
        return r.workItemId;
      case "allocationId":
        return r.allocationId;
      case "decision":
        return r.adoptionDecisionId;
      case "year":
        return "2024-25";
    }
    throw new Error(`The test has no record for :${name} in ${url}: add one to records-about.ts`);
  });
}

/**
 * A fingerprint of every table's rows, in one statement. Left out: the audit trail (refusals
 * are audited, which is the point), sessions, and request bookkeeping that holds no case data.
 */
async function fingerprint(database: Database): Promise<Record<string, string>> {
  const tables = await sql<{ name: string }>`select table_name as name
    from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'
    order by table_name`.execute(database.db);
  const kept = tables.rows
    .map((t) => t.name)
    .filter((name) => !/^audit_|session|idempotency|sign_in|throttle|schema_migration/.test(name));
  const parts = kept.map(
    (name) =>
      `select '${name}' as name, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as hash from ${name} x`,
  );
  const rows = await sql<{
    name: string;
    hash: string;
  }>`${sql.raw(parts.join(" union all "))}`.execute(database.db);
  return Object.fromEntries(rows.rows.map((r) => [r.name, r.hash]));
}

let database: Database;
let app: FastifyInstance;
let world: World;
let records: RecordsAbout;
let writeRoutes: Route[];
/** Signed-in clients by world user name, plus a team manager of team B (tmB). */
const clients = new Map<string, Client>();
/** Who holds only a break-glass grant on the child: another team's worker and manager. */
const breakGlassHolders = ["swB", "tmB"] as const;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  const tmB = await database.db
    .insertInto("app_user")
    .values({
      la_id: world.laId,
      organisation_id: world.orgs.la,
      email: "tm.b@test.example",
      display_name: "tm.b",
      role: "team_manager",
      password_hash: await (
        await import("../src/modules/auth/passwords.ts")
      ).hashPassword(PASSWORD),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await database.db
    .insertInto("team_member")
    .values({ team_id: world.teams.fsB, user_id: tmB.id })
    .execute();
  records = await recordsAbout(database.db, world, world.people.childA1);
  for (const holder of [world.users.swB.id, tmB.id]) {
    await database.db
      .insertInto("break_glass")
      .values({
        la_id: world.laId,
        user_id: holder,
        person_id: world.people.childA1,
        reason: "Police called out of hours about the child",
        started_at: new Date("2026-03-02T09:00:00Z"),
        expires_at: new Date("2026-03-03T09:00:00Z"),
      })
      .execute();
  }
  ({ app } = await testApp(database));
  // The API's writes take no session (src/api/kernel.ts): a bearer token's client, whose
  // refusals are tested in src/api/api.test.ts.
  writeRoutes = app.routeTable.filter((r) => r.method === "POST" && !r.url.startsWith("/api/"));
  for (const [name, user] of Object.entries(world.users)) {
    clients.set(name, await signIn(app, user.email));
  }
  clients.set("tmB", await signIn(app, "tm.b@test.example"));
});
afterAll(() => app.close());

const client = (name: string): Client => {
  const found = clients.get(name);
  if (!found) throw new Error(`no client ${name}`);
  return found;
};

describe("emergency access alone never changes a record", () => {
  it("classifies every write route: about the child, or on the short list with a reason", () => {
    expect(writeRoutes.length).toBeGreaterThan(60);
    const unclassified = writeRoutes.filter(
      (r) => !aboutTheChild(r) && notAboutAChildsRecord[key(r)] === undefined,
    );
    expect(unclassified.map(key)).toEqual([]);
    const stale = Object.keys(notAboutAChildsRecord).filter(
      (k) => !writeRoutes.some((r) => key(r) === k),
    );
    expect(stale).toEqual([]);
  });

  it("lets the break-glass holders read the child's record (so the refusals below are about writing)", async () => {
    for (const holder of breakGlassHolders) {
      const page = await client(holder).get(`/people/${world.people.childA1}`);
      expect(page.statusCode, holder).toBe(200);
    }
  });

  it("lets the allocated worker change the child's details, and not the break-glass holder", async () => {
    const details = {
      givenName: "Amelia",
      familyName: "Hartley-Smith",
      ...dateFields("dateOfBirth", "2015-03-27"),
      sex: "2",
      ethnicity: "WBRI",
      nhsNumber: "",
      nhsNumberException: "unknown_delay",
      nhsNumberExceptionNote: "Not known yet; the GP surgery is closed until Monday",
      upn: "",
    };
    const version = async () =>
      (
        await database.db
          .selectFrom("person")
          .select(["version", "family_name"])
          .where("id", "=", world.people.childA1)
          .executeTakeFirstOrThrow()
      ).version;
    const before = await version();

    const swB = client("swB");
    expect((await swB.get(`/people/${world.people.childA1}/edit`)).statusCode).toBe(403);
    const refused = await swB.post(`/people/${world.people.childA1}`, {
      ...details,
      version: String(before),
    });
    expect(refused.statusCode).toBe(403);
    expect(await version()).toBe(before);
    const audit = await latestAudit(database);
    expect(audit).toMatchObject({
      actor_user_id: world.users.swB.id,
      action: "person.update",
      outcome: "denied",
      person_ids: [world.people.childA1],
    });

    const swA = client("swA");
    await swA.get(`/people/${world.people.childA1}/edit`);
    const saved = await swA.post(`/people/${world.people.childA1}`, {
      ...details,
      version: String(before),
    });
    expect(saved.statusCode).toBe(303);
    expect(await version()).toBe(before + 1);
  });

  it(
    "refuses every write about the child to those holding only a break-glass grant, and saves nothing",
    async () => {
      const wrong: string[] = [];
      for (const route of writeRoutes.filter(aboutTheChild)) {
        for (const holder of breakGlassHolders) {
          const before = await fingerprint(database);
          const response = await client(holder).post(
            urlFor(route.url, records),
            bodyFor(route, records),
          );
          const what = `${holder} ${key(route)}`;
          const audit = await latestAudit(database);
          if (![403, 404].includes(response.statusCode))
            wrong.push(`${what}: ${response.statusCode}`);
          if (JSON.stringify(await fingerprint(database)) !== JSON.stringify(before))
            wrong.push(`${what}: saved something`);
          if (audit.outcome !== "denied") wrong.push(`${what}: audited ${audit.outcome}`);
          if (route.personParam && !audit.person_ids.includes(records.personId))
            wrong.push(`${what}: the audit row does not name the child`);
        }
      }
      expect(wrong).toEqual([]);
    },
    SWEEP_TIMEOUT_MS,
  );

  it("does not offer the break-glass holders any form for recording on the child", async () => {
    const forms = app.routeTable.filter(
      (r) =>
        r.method === "GET" && aboutTheChild(r) && isRecordingPermission(r.permission as Permission),
    );
    expect(forms.length).toBeGreaterThan(30);
    const offered: string[] = [];
    for (const route of forms) {
      for (const holder of breakGlassHolders) {
        const response = await client(holder).get(urlFor(route.url, records));
        if (![403, 404].includes(response.statusCode))
          offered.push(`${holder} ${key(route)}: ${response.statusCode}`);
      }
    }
    expect(offered).toEqual([]);
  });

  it("refuses a contact that names the break-glass child alongside the worker's own", async () => {
    const before = await fingerprint(database);
    const swB = client("swB");
    await swB.get(`/people/${world.people.childB1}/contacts/new`);
    const response = await swB.post(`/people/${world.people.childB1}/contacts`, {
      ...dateFields("receivedOn", "2026-03-01"),
      source: "1A",
      referrer: "",
      reasons: "Seen together late at night",
      children: [world.people.childB1, world.people.childA1],
    });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expect(await fingerprint(database)).toEqual(before);
  });

  it("refuses to put the break-glass child on a panel's agenda", async () => {
    // A meeting the child is not yet on, so only access can refuse it.
    const meeting = await database.db
      .insertInto("panel_meeting")
      .values({
        la_id: world.laId,
        panel_id: records.panelId,
        meets_on: "2026-04-07",
        recorded_by: world.users.swA.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const before = await fingerprint(database);
    const swB = client("swB");
    await swB.get(`/panels/meetings/${meeting.id}`);
    const response = await swB.post(`/panels/meetings/${meeting.id}/agenda`, {
      kind: "person",
      personId: world.people.childA1,
      reason: "Missing from home",
    });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expect(await fingerprint(database)).toEqual(before);
  });

  it("refuses the break-glass worker linking a partner referral to the child: only the front door identifies", async () => {
    const contact = await database.db
      .insertInto("contact")
      .values({
        la_id: world.laId,
        received_on: "2026-03-02",
        source: "6",
        reasons: "Found alone at night",
        decision_due_on: "2026-03-03",
        recorded_by: world.users.police.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const referral = await database.db
      .insertInto("partner_referral")
      .values({
        la_id: world.laId,
        contact_id: contact.id,
        referred_by: world.users.police.id,
        organisation_id: world.orgs.police,
        child_given_name: "Amelia",
        child_family_name: "Hartly",
        child_date_of_birth: "2015-03-27",
        referrer_role: "Detective constable",
        referrer_phone: "01632 960 001",
        family_aware: "consented",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const before = await fingerprint(database);
    const response = await client("swB").post(`/front-door/referrals/${referral.id}/link`, {
      personId: world.people.childA1,
    });
    expect(response.statusCode).toBe(404);
    expect(await fingerprint(database)).toEqual(before);
    await database.db.deleteFrom("partner_referral").where("id", "=", referral.id).execute();
    await database.db.deleteFrom("contact").where("id", "=", contact.id).execute();
  });
});

describe("no role uses a write route without its permission", () => {
  it(
    "refuses every write route to every signed-in user whose role lacks the permission, and saves nothing",
    async () => {
      const wrong: string[] = [];
      for (const route of writeRoutes) {
        if (route.permission === "public" || route.permission === "signed_in") continue;
        const before = await fingerprint(database);
        for (const name of clients.keys()) {
          const role = name === "tmB" ? "team_manager" : await roleOf(name);
          if (hasPermission(role, route.permission as Permission)) continue;
          const url = aboutTheChild(route)
            ? urlFor(route.url, records)
            : route.url.replace(/:\w+/g, records.personId);
          const response = await client(name).post(url, {});
          if (response.statusCode !== 404)
            wrong.push(`${name} ${key(route)}: ${response.statusCode}`);
        }
        if (JSON.stringify(await fingerprint(database)) !== JSON.stringify(before))
          wrong.push(`${key(route)}: saved something`);
      }
      expect(wrong).toEqual([]);
    },
    SWEEP_TIMEOUT_MS,
  );
});

describe("the ids used above are real records the allocated team may work on", () => {
  // Run last: it may change what it reaches. Without it, a wrong id would make every refusal
  // above a 404 for the wrong reason.
  it(
    "does not refuse the child's team manager (or, on a return, the performance officer) on any write route about the child",
    async () => {
      const refused: string[] = [];
      for (const route of writeRoutes.filter(aboutTheChild)) {
        // A return's corrections are the performance officer's, not a team manager's (0031).
        const who = hasPermission("team_manager", route.permission as Permission)
          ? "tmA"
          : "performanceOfficer";
        const response = await client(who).post(
          urlFor(route.url, records),
          bodyFor(route, records),
        );
        // A 403 for another reason (a measure of a discipline tmA does not practise) still shows
        // the record was found and open to them.
        const byEmergencyRule =
          response.statusCode === 403 && /emergency access/.test(response.body);
        if (response.statusCode === 404 || byEmergencyRule || response.statusCode >= 500)
          refused.push(`${key(route)}: ${response.statusCode}`);
      }
      expect(refused).toEqual([]);
    },
    SWEEP_TIMEOUT_MS,
  );
});

async function roleOf(name: string) {
  const user = world.users[name as keyof World["users"]];
  const row = await database.db
    .selectFrom("app_user")
    .select("role")
    .where("id", "=", user.id)
    .executeTakeFirstOrThrow();
  if (!isRole(row.role)) throw new Error(`unknown role ${row.role}`);
  return row.role;
}
