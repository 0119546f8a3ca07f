import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import type { RegisteredRoute } from "../src/app.ts";
import { buildFamilyWorld, type FamilyWorld } from "../src/modules/family/test-support.ts";
import type { Database } from "../src/platform/database.ts";
import { freshDatabase } from "./support/database.ts";
import { sweptRoutes, UNKNOWN_ID, urlOf, Users } from "./support/every-route.ts";
import { freshSubmission, testApp, type Client } from "./support/http.ts";

/**
 * Every form and query route, driven with malformed input (issue 10, item 8) as a signed-in user
 * who may use it: NUL and control characters, huge strings, lists where one value belongs,
 * numbers beyond PostgreSQL's integer, impossible dates, unknown fields, JSON of the wrong
 * types, malformed ids. No answer may be a 5xx, and a refused POST saves nothing. The seed is
 * fixed so a failure can be replayed; the runs per route are bounded to keep CI fast.
 */

const SEED = 20260302;
const RUNS_PER_ROUTE = 3;

let database: Database;
let world: FamilyWorld;
let app: FastifyInstance;
let users: Users;
let fieldNames: string[];
/** The field names of each form on the pages, by the URL the form is sent to. */
const formFields = new Map<string, string[]>();

/** Every field name the templates use, for routes whose own form was not found. */
async function templateFieldNames(): Promise<string[]> {
  const names = new Set(["version", "children", "q", "from", "to", "child", "next"]);
  const dir = path.resolve("src");
  for (const file of await readdir(dir, { recursive: true })) {
    if (!file.endsWith(".njk")) continue;
    const text = await readFile(path.join(dir, file), "utf8");
    for (const [, name = ""] of text.matchAll(/\bname(?:: |=)"([\w-]+)"/g)) names.add(name);
    for (const [, prefix = ""] of text.matchAll(/namePrefix: "([\w-]+)"/g)) {
      for (const part of ["day", "month", "year"]) names.add(`${prefix}-${part}`);
    }
  }
  return [...names].sort();
}

/** Notes each form on a page: where it is sent and the names of its fields. */
function collectForms(html: string): void {
  for (const chunk of html.split("<form").slice(1)) {
    const form = chunk.split("</form>")[0] ?? "";
    const action = /action="([^"]+)"/.exec(form)?.[1];
    if (!action) continue;
    const names = [...form.matchAll(/name="([\w-]+)"/g)].map((m) => m[1] ?? "");
    const known = formFields.get(action) ?? [];
    formFields.set(action, [...new Set([...known, ...names.filter((n) => n !== "_csrf")])]);
  }
}

/**
 * Case data is what carries la_id (the audit log, which records every refusal, aside): the rows
 * a refused request must leave as they were.
 */
async function caseRowCounts(): Promise<Record<string, number>> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.columns
    where table_schema = 'public' and column_name = 'la_id' and table_name not like 'audit%'
    order by table_name
  `.execute(database.db);
  // jsonb_build_object takes at most 100 arguments: 50 tables each.
  const parts: string[] = [];
  for (let i = 0; i < tables.rows.length; i += 50) {
    const pairs = tables.rows
      .slice(i, i + 50)
      .map((t) => `'${t.table_name}', (select count(*) from ${t.table_name})`);
    parts.push(`jsonb_build_object(${pairs.join(", ")})`);
  }
  const result = await sql<{ counts: Record<string, number> }>`
    select ${sql.raw(parts.join(" || "))} as counts
  `.execute(database.db);
  return result.rows[0]?.counts ?? {};
}

const text = fc.oneof(
  fc.constantFrom(
    "\u0000",
    "a\u0000b",
    "bell\u0007",
    "99999999999",
    "2147483647",
    "-1",
    "1e309",
    "NaN",
    "0000",
    "0",
    "32",
    "13",
    "0000-01",
    "9999-99",
    "2026-02-30",
    "",
    "   ",
    "<script>alert(1)</script>",
    "' or 1=1 --",
    "\ud800",
    "not-a-uuid",
    UNKNOWN_ID,
    "x".repeat(20_000),
  ),
  fc.string({ maxLength: 12 }),
  fc.integer().map(String),
);
const formValue = fc.oneof(text, fc.array(text, { minLength: 2, maxLength: 3 }));
const jsonValue = fc.oneof(
  formValue,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }),
  fc.array(fc.integer(), { maxLength: 3 }),
);

function inputFor(names: string[], value: fc.Arbitrary<unknown>) {
  const known = names.length > 0 ? names : fieldNames;
  return fc.record({
    fields: fc.dictionary(fc.constantFrom(...known), value, { minKeys: 1, maxKeys: 8 }),
    unknown: fc.dictionary(fc.constantFrom("zzz", "__proto__x", "admin"), value, { maxKeys: 1 }),
    asJson: fc.boolean(),
    badId: fc.option(fc.constantFrom("not-a-uuid", "%00", "9".repeat(400), UNKNOWN_ID)),
  });
}

function queryString(fields: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const one of Array.isArray(value) ? value : [value]) params.append(name, String(one));
  }
  return params.toString();
}

function withBadId(url: string, route: RegisteredRoute, badId: string | null): string {
  return badId && route.url.includes(":") ? url.replace(/[0-9a-f-]{36}/, badId) : url;
}

async function send(
  client: Client,
  route: RegisteredRoute,
  url: string,
  input: { fields: Record<string, unknown>; asJson: boolean },
) {
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  if (route.method === "GET") {
    return app.inject({
      method: "GET",
      url: `${url}?${queryString(input.fields)}`,
      headers: { accept: "text/html", cookie },
    });
  }
  const csrf = freshSubmission(client.csrf);
  return input.asJson
    ? app.inject({
        method: "POST",
        url,
        headers: { "content-type": "application/json", accept: "text/html", cookie },
        payload: JSON.stringify({ ...input.fields, _csrf: csrf }),
      })
    : app.inject({
        method: "POST",
        url,
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          accept: "text/html",
          cookie,
        },
        payload: `${queryString(input.fields)}&_csrf=${encodeURIComponent(csrf)}`,
      });
}

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildFamilyWorld(database.db);
  ({ app } = await testApp(database));
  users = new Users(app, database.db, world);
  fieldNames = await templateFieldNames();
  // Load every page once, as its user, to learn each form's fields.
  for (const route of sweptRoutes(app).filter((r) => r.method === "GET")) {
    const client = await users.clientFor(route.permission);
    collectForms((await client.get(urlOf(route, world))).body);
  }
}, 120_000);

describe("malformed input on every form and query route", () => {
  it("never gets a 5xx, and a refused POST saves nothing", async () => {
    const failures: string[] = [];
    for (const route of sweptRoutes(app)) {
      if (route.url.startsWith("/assets/")) continue;
      const client = await users.clientFor(route.permission);
      const url = urlOf(route, world);
      const names = formFields.get(url.split("?")[0] ?? url) ?? [];
      const value = route.method === "POST" ? jsonValue : formValue;
      const details = await fc.check(
        fc.asyncProperty(inputFor(names, value), async (input) => {
          const target = withBadId(url, route, input.badId);
          const fields = { ...input.fields, ...input.unknown };
          const asJson = input.asJson;
          const before = route.method === "POST" ? await caseRowCounts() : undefined;
          const response = await send(client, route, target, {
            fields: route.method === "POST" && !asJson ? stringsOnly(fields) : fields,
            asJson,
          });
          expect(response.statusCode, `${route.method} ${target}`).toBeLessThan(500);
          if (before && response.statusCode >= 400) {
            expect(await caseRowCounts(), `${route.method} ${target} saved`).toEqual(before);
          }
        }),
        { seed: SEED, numRuns: RUNS_PER_ROUTE, endOnFailure: true },
      );
      if (details.failed) {
        const why = String(details.errorInstance).split("\n")[0] ?? "";
        const input = JSON.stringify(details.counterexample).slice(0, 300);
        failures.push(`${route.method} ${route.url}: ${why} with ${input}`);
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);
});

const asText = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));

/** A urlencoded form can only carry text: other JSON values are sent as their text. */
function stringsOnly(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [k, Array.isArray(v) ? v.map(asText) : asText(v)]),
  );
}
