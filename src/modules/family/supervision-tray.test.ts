import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp } from "../../../test/support/http.ts";
import type { Database } from "../../platform/database.ts";
import { supervisionUrl } from "./supervision-test-support.ts";
import { buildFamilyWorld, type FamilyWorld } from "./test-support.ts";

// The test clock says Monday 2 March 2026; both Workbooks were opened on 2 February, so with
// the default four weeks group supervision falls due today. The tray looks 10 working days
// ahead, to Monday 16 March.
let database: Database;
let world: FamilyWorld;
let app: FastifyInstance;

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildFamilyWorld(database.db);
  ({ app } = await testApp(database));
});

/** The tray's rows, each as its text with tags stripped, plus its links. */
function trayRows(body: string): { text: string; links: string[] }[] {
  const start = body.indexOf('data-testid="tray"');
  if (start < 0) return [];
  const table = body.slice(start, body.indexOf("</table>", start));
  return table
    .split('<tr class="govuk-table__row">')
    .slice(2)
    .map((row) => ({
      text: row
        .replace(/<[^>]+>/g, " ")
        .replace(/\s+/g, " ")
        .trim(),
      links: [...row.matchAll(/href="([^"]+)"/g)].map((m) => m[1] ?? ""),
    }));
}

async function trayOf(email: string, url = "/my-work") {
  const client = await signIn(app, email);
  const page = await client.get(url);
  expect(page.statusCode).toBe(200);
  return { page, rows: trayRows(page.body) };
}

const setInterval = (weeks: number) =>
  database.db
    .updateTable("workbook")
    .set({ supervision_interval_weeks: weeks })
    .where("id", "=", world.workbooks.hartley)
    .execute();

const supervisionRows = (rows: { text: string; links: string[] }[], familyId: string) =>
  rows.filter((r) => r.links.includes(`/families/${familyId}/workbook/supervision`));

describe("group supervision in the work trays", () => {
  it("gives the social worker one item for the family, not one per child", async () => {
    const { rows } = await trayOf(world.users.swA.email);
    const hartley = supervisionRows(rows, world.families.hartley);
    expect(hartley).toHaveLength(1);
    expect(hartley[0]?.text).toContain("2 March 2026");
    expect(hartley[0]?.text).toContain("Hartley family");
    expect(hartley[0]?.text).toContain("Group supervision");
    expect(hartley[0]?.text).not.toContain("Overdue");
    expect(supervisionRows(rows, world.families.brennan)).toEqual([]);
    const audit = await latestAudit(database);
    expect([...audit.person_ids].sort()).toEqual(
      [world.people.childA1, world.people.childA2].sort(),
    );
  });

  it("gives the manager the family once in the team's tray, with its workers", async () => {
    const { rows } = await trayOf(world.users.tmA.email, "/my-team");
    const hartley = supervisionRows(rows, world.families.hartley);
    expect(hartley).toHaveLength(1);
    expect(hartley[0]?.text).toContain("sw.a");
    expect(hartley[0]?.text).toContain("recovery.a");
    expect(supervisionRows(rows, world.families.brennan)).toEqual([]);
  });

  it("does not give another team's social worker the family", async () => {
    const { rows } = await trayOf(world.users.swB.email);
    expect(supervisionRows(rows, world.families.hartley)).toEqual([]);
    expect(supervisionRows(rows, world.families.brennan)).toHaveLength(1);
  });

  it("gives business support their teams' families in My work", async () => {
    const { page, rows } = await trayOf(world.users.businessSupportA.email);
    expect(supervisionRows(rows, world.families.hartley)).toHaveLength(1);
    expect(supervisionRows(rows, world.families.brennan)).toEqual([]);
    expect(page.body).toContain("Group supervision falling due for the families your teams");
    expect(page.body).not.toContain("children allocated");
  });

  it("marks it overdue once the due date has passed", async () => {
    await setInterval(3);
    const { rows } = await trayOf(world.users.swA.email);
    const [hartley] = supervisionRows(rows, world.families.hartley);
    expect(hartley?.text).toContain("23 February 2026");
    expect(hartley?.text).toContain("Overdue");
    await setInterval(4);
  });

  it("leaves it out when the next session is beyond the look-ahead", async () => {
    const held = await database.db
      .insertInto("group_supervision")
      .values({
        la_id: world.laId,
        workbook_id: world.workbooks.hartley,
        scheduled_for: "2026-02-27",
        held_on: "2026-02-27",
        created_by: world.users.businessSupportA.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const { rows } = await trayOf(world.users.swA.email);
    expect(supervisionRows(rows, world.families.hartley)).toEqual([]);
    await database.db.deleteFrom("group_supervision").where("id", "=", held.id).execute();
  });
});

describe("supervision actions in My work", () => {
  let sessionId: string;

  beforeAll(async () => {
    const session = await database.db
      .insertInto("group_supervision")
      .values({
        la_id: world.laId,
        workbook_id: world.workbooks.hartley,
        scheduled_for: "2026-02-23",
        held_on: "2026-02-23",
        created_by: world.users.businessSupportA.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    sessionId = session.id;
    const add = (action: string, dueOn: string, completedOn: string | null = null) => ({
      la_id: world.laId,
      supervision_id: sessionId,
      action,
      owner_user_id: world.users.swA.id,
      due_on: dueOn,
      completed_on: completedOn,
      completed_by: completedOn ? world.users.swA.id : null,
      recorded_by: world.users.businessSupportA.id,
    });
    await database.db
      .insertInto("supervision_action")
      .values([
        add("Book a joint home visit with the recovery worker", "2026-02-27"),
        add("Ask the school about attendance", "2026-03-10"),
        add("Review the safety plan", "2026-04-20"),
        add("Call the health visitor", "2026-02-25", "2026-02-26"),
      ])
      .execute();
  });

  it("lists the owner's open actions due within the look-ahead, overdue first", async () => {
    const { rows } = await trayOf(world.users.swA.email);
    const actionRows = rows.filter((r) => r.text.includes("Supervision action"));
    expect(actionRows.map((r) => r.text)).toEqual([
      expect.stringMatching(
        /^27 February 2026 Overdue Hartley family Supervision action: Book a joint home visit/,
      ),
      expect.stringMatching(/^10 March 2026 Hartley family Supervision action: Ask the school/),
    ]);
    expect(actionRows[0]?.links).toEqual([supervisionUrl(world, sessionId)]);
  });

  it("does not list another worker's actions", async () => {
    for (const email of [world.users.tmA.email, world.users.businessSupportA.email]) {
      const { rows } = await trayOf(email);
      expect(rows.filter((r) => r.text.includes("Supervision action"))).toEqual([]);
    }
  });
});
