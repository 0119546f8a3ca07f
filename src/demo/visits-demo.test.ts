import { beforeAll, describe, expect, it } from "vitest";
import { loadActor, type Actor } from "../access/actor.ts";
import { freshDatabase } from "../../test/support/database.ts";
import type { Database } from "../platform/database.ts";
import { trayChildren, trayItems } from "../modules/worktray/items.ts";
import { visitSchedules } from "../modules/visits/due.ts";
import { generateDemo } from "./generate.ts";

// The demo shows decision 0026: Team A's looked-after child moved placement three days ago
// (a visit due within the week, reg. 28(2)(a)); the exploitation worker's first safety plan is
// overdue for review, in their My work.
const today = "2026-03-02";
let database: Database;

beforeAll(async () => {
  database = await freshDatabase();
  await generateDemo(database.db, { size: "small", seed: 1, passwordHash: "not-a-hash", today });
}, 180_000);

async function actorOf(email: string): Promise<Actor> {
  const user = await database.db
    .selectFrom("app_user")
    .select("id")
    .where("email", "=", email)
    .executeTakeFirstOrThrow();
  const actor = await loadActor(database.db, user.id);
  if (!actor) throw new Error(`no actor for ${email}`);
  return actor;
}

async function trayOf(email: string) {
  const actor = await actorOf(email);
  const now = new Date(`${today}T10:00:00Z`);
  const children = await trayChildren(database.db, actor, today, "mine");
  return { actor, children, items: await trayItems(database.db, actor, now, today, children) };
}

describe("the demo's statutory visits and reviews", () => {
  it("has a looked-after child of Team A's social worker due a visit after a move", async () => {
    const { actor, children } = await trayOf("social.worker@northmoor.example");
    const schedules = await visitSchedules(
      database.db,
      actor.laId,
      children.map((c) => c.id),
      today,
    );
    const moved = schedules.find((s) => s.rule?.code === "placement_week");
    expect(moved).toMatchObject({ planType: "cla", planStart: "2026-02-27", dueOn: "2026-03-06" });
    expect(moved?.overdue).toBe(false);
  });

  it("has an overdue safety plan review in the exploitation worker's My work", async () => {
    const { items } = await trayOf("exploitation.worker@northmoor.example");
    const review = items.find((i) => i.what === "Safety plan review");
    expect(review?.overdue).toBe(true);
  });
});
