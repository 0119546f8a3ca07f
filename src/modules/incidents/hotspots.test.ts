import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn } from "../../../test/support/http.ts";
import { testApp } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";

let database: Database;
let world: World;
let app: FastifyInstance;

// The test clock says Monday 2 March 2026: the default period is April 2025 to March 2026.
beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  const db = database.db;
  const place = async (
    name: string,
    ward: string,
    latitude: number | null,
    longitude: number | null,
  ) =>
    (
      await db
        .insertInto("location")
        .values({
          la_id: world.laId,
          name,
          kind: "park",
          ward,
          latitude,
          longitude,
          recorded_by: world.users.swA.id,
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  const park = await place("Eastfield Park", "Eastfield", 52.6301, -1.1302);
  const shops = await place("Westgate shops", "Westgate", 52.6212, -1.1517);
  const incident = async (
    kind: string,
    on: string,
    locationId: string | null,
    source: string,
    shared: boolean,
    children: string[] = [],
  ) => {
    const row = await db
      .insertInto("incident")
      .values({
        la_id: world.laId,
        kind,
        occurred_on: on,
        location_id: locationId,
        source_organisation_id: source,
        share_with_partners: shared,
        recorded_by: world.users.swA.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (const personId of children) {
      await db
        .insertInto("incident_subject")
        .values({ incident_id: row.id, person_id: personId })
        .execute();
    }
  };
  const { police, la, health } = world.orgs;
  await incident("asb", "2026-02-10", park, police, false, [world.people.childA1]);
  await incident("asb", "2026-02-20", park, police, false);
  await incident("knife_crime", "2026-01-05", shops, la, true);
  await incident("sighting", "2025-12-01", park, la, false, [world.people.childA1]);
  await incident("asb", "2025-03-15", shops, police, true);
  await incident("found_missing", "2026-03-01", null, health, false, [world.people.childA1]);
});

/** The ward table as { ward: [cells...] }, each cell's text as shown. */
function wardTable(body: string): Record<string, string[]> {
  const table = /data-testid="ward-table">([\s\S]*?)<\/table>/.exec(body)?.[1] ?? "";
  const rows: Record<string, string[]> = {};
  for (const [, row = ""] of table.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)) {
    const cells = [...row.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) =>
      (m[1] ?? "").replace(/<[^>]+>/g, "").trim(),
    );
    const [first = "", ...rest] = cells;
    rows[first] = rest;
  }
  return rows;
}

const zeros = (n: number) => Array.from({ length: n }, () => "0");

describe("hotspots by ward and month", () => {
  it("groups the incidents the source allows by ward and month, with totals", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const page = await sw.get("/hotspots");
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toMatch(/undefined|\[object|NaN/);
    const rows = wardTable(page.body);
    expect(rows.Ward).toEqual([
      "Apr 2025",
      "May 2025",
      "Jun 2025",
      "Jul 2025",
      "Aug 2025",
      "Sep 2025",
      "Oct 2025",
      "Nov 2025",
      "Dec 2025",
      "Jan 2026",
      "Feb 2026",
      "Mar 2026",
      "Total",
    ]);
    // Busiest ward first; incidents with no place last. March 2025 is outside the period.
    expect(Object.keys(rows)).toEqual([
      "Ward",
      "Eastfield",
      "Westgate",
      "No ward recorded",
      "All wards",
    ]);
    expect(rows.Eastfield).toEqual([...zeros(8), "1", "0", "2", "0", "3"]);
    expect(rows.Westgate).toEqual([...zeros(9), "1", "0", "0", "1"]);
    expect(rows["No ward recorded"]).toEqual([...zeros(11), "1", "1"]);
    expect(rows["All wards"]).toEqual([...zeros(8), "1", "1", "2", "1", "5"]);
    expect(page.body).toMatch(
      /<svg[^>]*role="img"[^>]*aria-label="Heat grid of 5 incidents in 3 wards by month, Apr 2025 to Mar 2026\. Most in Eastfield \(3\)\./,
    );
    expect(page.body).toMatch(
      /<svg[^>]*role="img"[^>]*aria-label="Map of 2 places with 4 incidents, Apr 2025 to Mar 2026/,
    );
    expect(page.body).toContain("<title>Eastfield Park (Eastfield): 3 incidents</title>");
    expect(page.body).toContain("<title>Westgate shops (Westgate): 1 incident</title>");
    expect(page.body.match(/<circle /g)).toHaveLength(2);
    // No child is named on the page.
    expect(page.body).not.toContain("Amelia");
    expect(await latestAudit(database)).toMatchObject({
      action: "hotspot.view",
      outcome: "allowed",
      summary: { from: "2025-04", to: "2026-03", kind: null, incidents: 5 },
    });
  });

  it("filters by period and by kind", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const wider = wardTable((await sw.get("/hotspots?from=2025-03&to=2026-02")).body);
    expect(wider.Westgate).toEqual(["1", ...zeros(9), "1", "0", "2"]);
    const asb = await sw.get("/hotspots?kind=asb");
    expect(asb.body).toContain('2 incidents of the kind "Anti-social behaviour"');
    const rows = wardTable(asb.body);
    expect(Object.keys(rows)).toEqual(["Ward", "Eastfield", "All wards"]);
    expect(rows.Eastfield).toEqual([...zeros(10), "2", "0", "2"]);
  });

  it("counts police incidents not shared with partners for the LA and the police, not for health", async () => {
    const police = wardTable(
      (await (await signIn(app, world.users.police.email)).get("/hotspots")).body,
    );
    expect(police.Eastfield).toEqual([...zeros(10), "2", "0", "2"]);
    expect(police["All wards"]?.at(-1)).toBe("3");
    // Health counts the LA's shared incident and its own, nothing of the police's.
    const health = wardTable(
      (await (await signIn(app, world.users.health.email)).get("/hotspots")).body,
    );
    expect(Object.keys(health)).toEqual(["Ward", "Westgate", "No ward recorded", "All wards"]);
    expect(health["All wards"]?.at(-1)).toBe("2");
    // The other team's worker counts incidents about Amelia without seeing her.
    const swB = await (await signIn(app, world.users.swB.email)).get("/hotspots");
    expect(wardTable(swB.body)["All wards"]?.at(-1)).toBe("5");
    expect(swB.body).not.toContain("Amelia");
  });

  it("names a wrong month or kind and shows the default period", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const page = await sw.get("/hotspots?from=2025-13&to=2026-04&kind=burglary");
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('href="#from"');
    expect(page.body).toContain("The first month must be a month like 2025-04");
    expect(page.body).toContain("The last month must be this month or earlier");
    expect(page.body).toContain("Select a kind from the list");
    expect(wardTable(page.body)["All wards"]?.at(-1)).toBe("5");
  });

  it.each(["analyst", "admin", "adultSpecialistA"] as const)(
    "refuses the page to %s",
    async (key) => {
      const user = await signIn(app, world.users[key].email);
      expect((await user.get("/hotspots")).statusCode).toBe(404);
      expect(await latestAudit(database)).toMatchObject({
        action: "hotspot.view",
        outcome: "denied",
      });
    },
  );
});
