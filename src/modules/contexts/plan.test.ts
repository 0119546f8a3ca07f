import { beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp } from "../../../test/support/http.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import type { Database } from "../../platform/database.ts";
import { dateFields, recordIntelligence, type Intelligence } from "./test-fixtures.ts";

let database: Database;
let world: World;
let app: FastifyInstance;
let intel: Intelligence;
let contextId: string; // Victoria Park, referred on 16 February 2026

// The test clock says Monday 2 March 2026.
beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  intel = await recordIntelligence(database, world);
  contextId = (
    await database.db
      .insertInto("context_case")
      .values({
        la_id: world.laId,
        kind: "location",
        location_id: intel.parkId,
        referred_on: "2026-02-16",
        referral_reason: "Children gathering after dark",
        referred_by: world.users.swA.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
});

const context = () =>
  database.db
    .selectFrom("context_case")
    .selectAll()
    .where("id", "=", contextId)
    .executeTakeFirstOrThrow();
const actions = () =>
  database.db
    .selectFrom("context_action")
    .selectAll()
    .where("context_id", "=", contextId)
    .orderBy("recorded_at")
    .execute();
const reviews = () =>
  database.db
    .selectFrom("context_review")
    .selectAll()
    .where("context_id", "=", contextId)
    .execute();

describe("the context assessment", () => {
  it("refuses a date before the referral or in the future, and a stale version", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const form = await sw.get(`/contexts/${contextId}/assessment`);
    expect(form.statusCode).toBe(200);
    const early = await sw.post(`/contexts/${contextId}/assessment`, {
      version: "1",
      ...dateFields("assessedOn", "2026-02-10"),
      assessment: "Poor lighting; older males selling near the skate park",
    });
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain("must be on or after the date referred (16 February 2026)");
    const future = await sw.post(`/contexts/${contextId}/assessment`, {
      version: "1",
      ...dateFields("assessedOn", "2026-03-03"),
      assessment: "",
    });
    expect(future.body).toContain("must be today or in the past");
    expect(future.body).toContain("Enter the assessment");
    expect(await context()).toMatchObject({ assessment: "", assessed_on: null, version: 1 });

    const saved = await sw.post(`/contexts/${contextId}/assessment`, {
      version: "1",
      ...dateFields("assessedOn", "2026-02-20"),
      assessment: "Poor lighting; older males selling near the skate park",
    });
    expect(saved.statusCode).toBe(303);
    expect(await context()).toMatchObject({
      assessed_on: "2026-02-20",
      assessed_by: world.users.swA.id,
      version: 2,
    });
    // A manager still holding version 1 is refused; the assessment is unchanged.
    const tm = await signIn(app, world.users.tmA.email);
    await tm.get(`/contexts/${contextId}/assessment`);
    const stale = await tm.post(`/contexts/${contextId}/assessment`, {
      version: "1",
      ...dateFields("assessedOn", "2026-02-21"),
      assessment: "Overwritten",
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain("Someone changed this context");
    expect(await context()).toMatchObject({ assessed_on: "2026-02-20", version: 2 });
    const page = await sw.get(`/contexts/${contextId}`);
    expect(page.body).toContain("Poor lighting; older males selling near the skate park");
  });
});

describe("the context plan", () => {
  it("adds actions owned by agencies, refusing a past due date or an unknown agency", async () => {
    const sw = await signIn(app, world.users.swA.email);
    await sw.get(`/contexts/${contextId}/actions/new`);
    const bad = await sw.post(`/contexts/${contextId}/actions`, {
      action: "Detached youth work in the park on Friday evenings",
      ownerOrganisationId: world.orgs.otherLa,
      ...dateFields("dueOn", "2026-03-01"),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain("Select the agency from the list");
    expect(bad.body).toContain("must be on or after today (2 March 2026)");
    expect(await actions()).toEqual([]);
    for (const [action, owner] of [
      ["Detached youth work in the park on Friday evenings", world.orgs.la],
      ["Guardianship with the takeaways on Park Road", world.orgs.police],
    ] as const) {
      const saved = await sw.post(`/contexts/${contextId}/actions`, {
        action,
        ownerOrganisationId: owner,
        ...dateFields("dueOn", "2026-03-31"),
      });
      expect(saved.statusCode).toBe(303);
    }
    expect(await actions()).toMatchObject([
      { owner_organisation_id: world.orgs.la, progress: "not_started", due_on: "2026-03-31" },
      { owner_organisation_id: world.orgs.police, progress: "not_started" },
    ]);
    // One recorded earlier and now past due is marked overdue.
    await database.db
      .insertInto("context_action")
      .values({
        la_id: world.laId,
        context_id: contextId,
        action: "Lighting survey with the council",
        owner_organisation_id: world.orgs.la,
        due_on: "2026-02-27",
        recorded_by: world.users.swA.id,
      })
      .execute();
    const page = await sw.get(`/contexts/${contextId}`);
    expect(page.body.match(/data-testid="agency-actions"/g)).toHaveLength(2);
    expect(page.body).toContain("Testshire Police");
    expect(page.body.match(/>\s*Overdue\s*</g)).toHaveLength(1);
  });

  it("lets the police, now involved, see the context and update only their own action", async () => {
    const [ours, theirs] = await actions();
    if (!ours || !theirs) throw new Error("actions missing");
    const police = await signIn(app, world.users.police.email);
    const page = await police.get(`/contexts/${contextId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`/contexts/${contextId}/actions/${theirs.id}`);
    expect(page.body).not.toContain(`/contexts/${contextId}/actions/${ours.id}`);
    expect(page.body).not.toContain("Record a review");
    // The park association was recorded by the LA, unshared: no child is named to the police.
    expect(page.body).not.toContain("Amelia");
    expect((await police.get(`/contexts/${contextId}/actions/${ours.id}`)).statusCode).toBe(404);
    const refused = await police.post(`/contexts/${contextId}/actions/${ours.id}`, {
      version: "1",
      progress: "done",
    });
    expect(refused.statusCode).toBe(404);
    await police.get(`/contexts/${contextId}/actions/${theirs.id}`);
    const saved = await police.post(`/contexts/${contextId}/actions/${theirs.id}`, {
      version: "1",
      progress: "in_progress",
      progressNote: "Visited four businesses",
    });
    expect(saved.statusCode).toBe(303);
    expect(await latestAudit(database)).toMatchObject({
      action: "context.record",
      outcome: "allowed",
      subject_id: contextId,
    });
    // A second update still holding version 1 is stale.
    const stale = await police.post(`/contexts/${contextId}/actions/${theirs.id}`, {
      version: "1",
      progress: "done",
    });
    expect(stale.statusCode).toBe(409);
    expect(await actions()).toMatchObject([
      { progress: "not_started" },
      { progress: "in_progress", progress_note: "Visited four businesses", version: 2 },
      { progress: "not_started" },
    ]);
    // The police may not assess, plan, review or close.
    for (const url of ["assessment", "actions", "reviews", "close"]) {
      expect((await police.post(`/contexts/${contextId}/${url}`, {})).statusCode).toBe(404);
    }
    // Health owns nothing here: the context is not found for them.
    const health = await signIn(app, world.users.health.email);
    expect((await health.get(`/contexts/${contextId}`)).statusCode).toBe(404);
    expect(
      (await health.post(`/contexts/${contextId}/actions/${theirs.id}`, { version: "2" }))
        .statusCode,
    ).toBe(404);
  });

  it("lets business support see the plan but change nothing", async () => {
    const [ours] = await actions();
    const bs = await signIn(app, world.users.businessSupportA.email);
    expect((await bs.get(`/contexts/${contextId}`)).statusCode).toBe(200);
    const refused = await bs.post(`/contexts/${contextId}/actions/${ours?.id ?? ""}`, {
      version: "1",
      progress: "done",
    });
    expect(refused.statusCode).toBe(404);
    expect((await actions())[0]).toMatchObject({ progress: "not_started" });
  });
});

describe("reviews and closing", () => {
  it("refuses a review before the referral or a next review not after it", async () => {
    const sw = await signIn(app, world.users.swA.email);
    await sw.get(`/contexts/${contextId}/reviews/new`);
    const early = await sw.post(`/contexts/${contextId}/reviews`, {
      ...dateFields("reviewedOn", "2026-02-01"),
      summary: "Fewer sightings",
      ...dateFields("nextReviewOn", "2026-04-01"),
    });
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain("The date of the review must be on or after the date referred");
    const next = await sw.post(`/contexts/${contextId}/reviews`, {
      ...dateFields("reviewedOn", "2026-02-27"),
      summary: "Fewer sightings",
      ...dateFields("nextReviewOn", "2026-02-27"),
    });
    expect(next.body).toContain("The next review date must be after the date of the review");
    expect(await reviews()).toEqual([]);
    const saved = await sw.post(`/contexts/${contextId}/reviews`, {
      ...dateFields("reviewedOn", "2026-02-27"),
      summary: "Fewer sightings since the youth work began",
      ...dateFields("nextReviewOn", "2026-03-27"),
    });
    expect(saved.statusCode).toBe(303);
    expect(await reviews()).toMatchObject([
      { reviewed_on: "2026-02-27", next_review_on: "2026-03-27" },
    ]);
    const list = await sw.get("/contexts");
    expect(list.body).toContain("27 March 2026");
  });

  it("closes with a version check, after which nothing can be changed", async () => {
    const sw = await signIn(app, world.users.swA.email);
    const { version } = await context();
    await sw.get(`/contexts/${contextId}/close`);
    const stale = await sw.post(`/contexts/${contextId}/close`, {
      version: String(version - 1),
      ...dateFields("closedOn", "2026-03-02"),
    });
    expect(stale.statusCode).toBe(409);
    expect((await context()).closed_on).toBeNull();
    const future = await sw.post(`/contexts/${contextId}/close`, {
      version: String(version),
      ...dateFields("closedOn", "2026-03-09"),
    });
    expect(future.statusCode).toBe(400);
    const closed = await sw.post(`/contexts/${contextId}/close`, {
      version: String(version),
      ...dateFields("closedOn", "2026-03-02"),
    });
    expect(closed.statusCode).toBe(303);
    expect(await context()).toMatchObject({ closed_on: "2026-03-02", version: version + 1 });
    const after = await sw.post(`/contexts/${contextId}/reviews`, {
      ...dateFields("reviewedOn", "2026-03-02"),
      summary: "Late",
      ...dateFields("nextReviewOn", "2026-04-02"),
    });
    expect(after.statusCode).toBe(409);
    expect(await reviews()).toHaveLength(1);
    const page = await sw.get(`/contexts/${contextId}`);
    expect(page.body).toContain("This context was closed on 2 March 2026");
    expect(page.body).not.toContain("Record a review");
  });

  it("is not changed by another LA's social worker, the analyst or the administrator", async () => {
    const before = await context();
    for (const email of [
      world.users.otherLaSw.email,
      world.users.analyst.email,
      world.users.admin.email,
    ]) {
      const user = await signIn(app, email);
      const posted = await user.post(`/contexts/${contextId}/assessment`, {
        version: String(before.version),
        ...dateFields("assessedOn", "2026-03-01"),
        assessment: "Not theirs",
      });
      expect(posted.statusCode, email).toBe(404);
    }
    expect(await context()).toEqual(before);
  });
});
