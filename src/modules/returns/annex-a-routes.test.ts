import ExcelJS from "exceljs";
import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, type Client, testApp } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import { hashPassword } from "../auth/passwords.ts";
import { annexAPeriod } from "../../domain/annex-a/codes.ts";
import type { Database } from "../../platform/database.ts";
import { generateAnnexA } from "./annex-a.ts";
import { ANNEX_A_TO, buildAnnexAWorld } from "./annex-a-test-support.ts";

let database: Database;
let world: World;
let app: FastifyInstance;
const OTHER_OFFICER = "performance.officer@elsewhere.example";
const OTHER_PASSWORD = "another council's long passphrase";

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  await buildAnnexAWorld(database.db, world);
  // Another council's performance officer, to show a council sees only its own children.
  await database.db
    .insertInto("app_user")
    .values({
      la_id: world.otherLaId,
      organisation_id: world.orgs.otherLa,
      email: OTHER_OFFICER,
      display_name: "Elsewhere performance",
      role: "performance_officer",
      password_hash: await hashPassword(OTHER_PASSWORD),
    })
    .execute();
  ({ app } = await testApp(database));
});

const WORKBOOK = `/returns/annex-a/workbook?to=${ANNEX_A_TO}&months=6`;

async function download(client: Client): Promise<ExcelJS.Workbook> {
  const response = await client.app.inject({
    method: "GET",
    url: WORKBOOK,
    headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
  });
  expect(response.statusCode).toBe(200);
  expect(response.headers["content-type"]).toBe(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  );
  expect(response.headers["content-disposition"]).toBe(
    `attachment; filename="annex-a-${ANNEX_A_TO}.xlsx"`,
  );
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
  return workbook;
}

function sheetOf(workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const sheet = workbook.getWorksheet(name);
  if (!sheet) throw new Error(`no sheet ${name}`);
  return sheet;
}

/** A sheet's cells as the workbook holds them, dates back to 'YYYY-MM-DD'. */
function sheetRows(sheet: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const values = (row.values as unknown[]).slice(1);
    // Array.from, not map: an empty cell is a hole in exceljs's array.
    rows.push(
      Array.from(values, (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : (v ?? null))),
    );
  });
  return rows;
}

describe("the Annex A workbook", () => {
  it("has a sheet per list with Ofsted's headings and the rows from the records", async () => {
    const officer = await signIn(app, world.users.performanceOfficer.email);
    const workbook = await download(officer);
    const expected = await generateAnnexA(database.db, world.laId, annexAPeriod(ANNEX_A_TO));
    expect(workbook.worksheets.map((s) => s.name)).toEqual(expected.lists.map((l) => l.title));
    for (const list of expected.lists) {
      const sheet = workbook.getWorksheet(list.title);
      if (!sheet) throw new Error(`no sheet ${list.title}`);
      const [headings, ...rows] = sheetRows(sheet);
      expect(headings, list.list).toEqual(list.columns.map((c) => c.column));
      if (list.notHeld) {
        expect(rows).toEqual([[list.notHeld]]);
        continue;
      }
      const padded = rows.map((r) =>
        Array.from({ length: list.columns.length }, (_v, i): unknown => r[i] ?? null),
      );
      expect(padded, list.list).toEqual(list.rows.map((r) => r.cells));
    }
    // A date is a date in the workbook, not text.
    const referrals = workbook.getWorksheet("List 3 Referrals");
    expect(referrals?.getCell("F2").value).toEqual(new Date("2025-10-02T00:00:00Z"));
    expect(referrals?.getCell("G2").value).toBe("e) 2A: Schools");
    expect(referrals?.rowCount).toBe(3);
  });

  it("records the download in the access log of every child in it", async () => {
    const officer = await signIn(app, world.users.performanceOfficer.email);
    await download(officer);
    const audit = await latestAudit(database);
    expect(audit.action).toBe("returns.annex_a.download");
    expect(audit.outcome).toBe("allowed");
    expect([...audit.person_ids].sort()).toEqual(
      [
        world.people.childA1,
        world.people.childA2,
        world.people.childB1,
        world.people.restrictedChildA,
        world.people.unallocated,
      ].sort(),
    );
  });

  it("gives another council's performance officer only that council's children", async () => {
    const other = await signIn(app, OTHER_OFFICER, OTHER_PASSWORD);
    const workbook = await download(other);
    const referrals = sheetRows(sheetOf(workbook, "List 3 Referrals"));
    expect(referrals.slice(1).map((r) => r[0])).toEqual([world.people.otherLaChild]);
    const everyId = workbook.worksheets.flatMap((s) =>
      sheetRows(s)
        .slice(1)
        .map((r) => r[0]),
    );
    for (const id of Object.values(world.people).filter((id) => id !== world.people.otherLaChild))
      expect(everyId).not.toContain(id);
  });

  it("is not there for a social worker, a manager, a partner or the administrator", async () => {
    for (const user of [world.users.swA, world.users.tmA, world.users.police, world.users.admin]) {
      const client = await signIn(app, user.email);
      expect((await client.get(WORKBOOK)).statusCode, user.email).toBe(404);
      expect((await client.get("/returns/annex-a")).statusCode, user.email).toBe(404);
      const audit = await latestAudit(database);
      expect(audit.outcome).toBe("denied");
    }
  });

  it("refuses a link whose period is not a real one, and sends no workbook", async () => {
    const officer = await signIn(app, world.users.performanceOfficer.email);
    for (const query of [
      "to=2026-02-30&months=6",
      "to=2026-03-01&months=99",
      "months=6",
      "to=2099-01-01&months=6",
    ]) {
      const response = await officer.get(`/returns/annex-a/workbook?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.headers["content-type"]).toMatch(/text\/html/);
    }
  });
});

describe("the Annex A page", () => {
  it("shows each list's rows and what to fix, naming each child without a link to a record the officer may not open", async () => {
    const officer = await signIn(app, world.users.performanceOfficer.email);
    const page = await officer.get("/returns/annex-a?to-day=1&to-month=3&to-year=2026&months=6");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("1 September 2025 to 1 March 2026");
    expect(page.body).toContain("4 values need fixing");
    expect(page.body).toContain(
      `Referral Source is &quot;5D&quot;, which is not one of Ofsted&#39;s codes (child ${world.people.childA2})`,
    );
    expect(page.body).toContain(
      `Placement postcode is blank; Ofsted needs a value (child ${world.people.restrictedChildA})`,
    );
    expect(page.body).not.toContain('href="/people/');
    expect(page.body).toContain(`href="/returns/annex-a/workbook?to=2026-03-01&amp;months=6"`);
    expect(page.body).toContain("Trellis does not yet record care leavers");
    const audit = await latestAudit(database);
    expect(audit.action).toBe("returns.annex_a.check");
    expect([...audit.person_ids].sort()).toEqual(
      [world.people.childA2, world.people.restrictedChildA].sort(),
    );
  });

  it("says what is wrong with the period chosen and keeps what was typed", async () => {
    const officer = await signIn(app, world.users.performanceOfficer.email);
    const page = await officer.get("/returns/annex-a?to-day=31&to-month=2&to-year=2026&months=0");
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain("There is a problem");
    expect(page.body).toContain("The last day of the period must be a real date");
    expect(page.body).toContain("Enter a number of months from 1 to 24");
    expect(page.body).toMatch(/name="to-day"[^>]*value="31"/);
  });
});
