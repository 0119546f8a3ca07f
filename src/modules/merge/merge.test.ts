import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, latestAudit } from "../../../test/support/database.ts";
import { signIn, testApp, type Client } from "../../../test/support/http.ts";
import { recordsAbout } from "../../../test/support/records-about.ts";
import { buildWorld, type World } from "../../../test/support/world.ts";
import { loadActor } from "../../access/actor.ts";
import type { Database } from "../../platform/database.ts";
import { AppError } from "../../platform/errors.ts";
import { addStaff } from "../caseloads/test-support.ts";
import { personReferences } from "./references.ts";
import { MERGE_UNDO_DAYS, undoMerge } from "./service.ts";
import { caseDataFingerprint, duplicateOf, everyOtherKind } from "./test-support.ts";

let database: Database;
let world: World;
let app: FastifyInstance;
let tmA: Client;
/** A second record of Amelia Hartley (childA1), with a record of every kind on it. */
let duplicate: string;
let tmB: { id: string; email: string };
/** A second manager of team A. */
let tmA2: { id: string; email: string };

const countOn = async (personId: string) => {
  const counts: Record<string, number> = {};
  for (const ref of personReferences) {
    const row = await database.db
      .selectFrom(ref.table as "allocation")
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .where(ref.column as "person_id", "=", personId)
      .executeTakeFirstOrThrow();
    counts[`${ref.table}.${ref.column}`] = Number(row.n);
  }
  return counts;
};

const version = async (id: string) =>
  (
    await database.db
      .selectFrom("person")
      .select("version")
      .where("id", "=", id)
      .executeTakeFirstOrThrow()
  ).version;

async function mergeForm(
  client: Client,
  personId: string,
  otherId: string,
  survivorId: string,
  reason = "Same child: same date of birth, school and mother; added twice at the front door",
) {
  return {
    other: otherId,
    survivor: survivorId,
    reason,
    version: String(await version(personId)),
    otherVersion: String(await version(otherId)),
  };
}

beforeAll(async () => {
  database = await freshDatabase();
  world = await buildWorld(database.db);
  ({ app } = await testApp(database));
  const db = database.db;
  duplicate = await duplicateOf(database, world, "Amelia", "Hartly", "2015-03-27");
  // In the same family and at the same address as childA1: those rows are set aside, not doubled.
  const family = await db
    .selectFrom("family_member")
    .select("family_id")
    .where("person_id", "=", world.people.childA1)
    .executeTakeFirstOrThrow();
  await db
    .insertInto("family_member")
    .values({ family_id: family.family_id, person_id: duplicate, la_id: world.laId })
    .execute();
  const address = await db
    .selectFrom("person_address")
    .selectAll()
    .where("person_id", "=", world.people.childA1)
    .executeTakeFirstOrThrow();
  await db
    .insertInto("person_address")
    .values({ ...address, person_id: duplicate })
    .execute();
  await db
    .insertInto("record_share")
    .values({
      la_id: world.laId,
      person_id: duplicate,
      organisation_id: world.orgs.health,
      lawful_basis: "ca1989_s47",
      purpose: "Health assessment",
      shared_by: world.users.swA.id,
    })
    .execute();
  // A relationship recorded between the two records of one child: set aside by the merge.
  await db
    .insertInto("relationship")
    .values({
      la_id: world.laId,
      person_id: duplicate,
      related_person_id: world.people.childA1,
      kind: "sibling",
    })
    .execute();
  await db
    .updateTable("person")
    .set({ nhs_number: "9434765919" })
    .where("id", "=", duplicate)
    .execute();
  const records = await recordsAbout(db, world, duplicate);
  await everyOtherKind(database, world, duplicate, records.cpPlanId);
  // A partner's referral the front door linked to the duplicate, and possible-duplicate flags
  // either way round with a third record: all move to the survivor.
  await db
    .insertInto("partner_referral")
    .values({
      la_id: world.laId,
      contact_id: records.contactId,
      referred_by: world.users.police.id,
      organisation_id: world.orgs.police,
      child_given_name: "Amelia",
      child_family_name: "Hartly",
      referrer_role: "Police constable",
      referrer_phone: "01632 960000",
      family_aware: "not_told",
      person_id: duplicate,
      identified_by: world.users.tmA.id,
      identified_at: new Date("2026-02-02T10:00:00Z"),
    })
    .execute();
  // A census disability code recorded on the duplicate: moves with it.
  await db
    .insertInto("person_disability")
    .values({ person_id: duplicate, la_id: world.laId, code: "HEAR" })
    .execute();
  await db
    .insertInto("possible_duplicate")
    .values([
      {
        la_id: world.laId,
        person_id: duplicate,
        candidate_id: world.people.childA2,
        score: 60,
        reasons: ["surname"],
        flagged_by: world.users.swA.id,
      },
      {
        la_id: world.laId,
        person_id: world.people.childA2,
        candidate_id: duplicate,
        score: 60,
        reasons: ["surname"],
        flagged_by: world.users.swA.id,
      },
    ])
    .execute();
  tmB = await addStaff(db, world, "tm.b@merge.example", "team_manager", [world.teams.fsB]);
  tmA2 = await addStaff(db, world, "tm.a2@merge.example", "team_manager", [world.teams.fsA]);
  tmA = await signIn(app, world.users.tmA.email);
});

describe("who may merge", () => {
  it("offers the merge on the record page to the team manager only", async () => {
    const page = await tmA.get(`/people/${world.people.childA1}`);
    expect(page.body).toContain('data-testid="merge-link"');
    const sw = await signIn(app, world.users.swA.email);
    expect((await sw.get(`/people/${world.people.childA1}`)).body).not.toContain("merge-link");
  });

  it("shows both records side by side before anything is merged", async () => {
    const choose = await tmA.get(`/people/${world.people.childA1}/merge?name=hartly`);
    expect(choose.statusCode).toBe(200);
    expect(choose.body).toContain(`/merge/confirm?other=${duplicate}`);
    const confirm = await tmA.get(
      `/people/${world.people.childA1}/merge/confirm?other=${duplicate}`,
    );
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('data-testid="merge-sides"');
    expect(confirm.body).toContain("Hartly");
    expect(confirm.body).toContain("943 476 5919");
    expect(confirm.body).toContain('data-prevent-double-click="true"');
  });

  it("refuses the social worker, the partner, another team's manager and a break-glass holder, and changes nothing", async () => {
    const before = await caseDataFingerprint(database);
    const breakGlassHolder = await addStaff(
      database.db,
      world,
      "tm.bg@merge.example",
      "team_manager",
      [world.teams.fsB],
    );
    for (const personId of [world.people.childA1, duplicate]) {
      await database.db
        .insertInto("break_glass")
        .values({
          la_id: world.laId,
          user_id: breakGlassHolder.id,
          person_id: personId,
          reason: "Police called out of hours about the child",
          started_at: new Date("2026-03-02T09:00:00Z"),
          expires_at: new Date("2026-03-03T09:00:00Z"),
        })
        .execute();
    }
    const fingerprint = await caseDataFingerprint(database);
    const refusals: Record<string, number> = {};
    for (const [name, email] of [
      ["social worker", world.users.swA.email],
      ["police", world.users.police.email],
      ["another team's manager", tmB.email],
      ["break-glass holder", breakGlassHolder.email],
    ] as const) {
      const client = await signIn(app, email);
      const form = await mergeForm(client, world.people.childA1, duplicate, world.people.childA1);
      const response = await client.post(`/people/${world.people.childA1}/merge`, form);
      refusals[name] = response.statusCode;
      const audit = await latestAudit(database);
      expect(audit.action, name).toBe("person.merge");
      expect(audit.outcome, name).toBe("denied");
      const form2 = await client.get(
        `/people/${world.people.childA1}/merge/confirm?other=${duplicate}`,
      );
      expect([403, 404], name).toContain(form2.statusCode);
    }
    expect(refusals).toEqual({
      "social worker": 404,
      police: 404,
      "another team's manager": 404,
      "break-glass holder": 403,
    });
    expect(await caseDataFingerprint(database)).toEqual(fingerprint);
    expect(Object.keys(before)).toEqual(Object.keys(fingerprint));
  });

  it("refuses a record the manager may not see named as the other record", async () => {
    const fingerprint = await caseDataFingerprint(database);
    const form = await mergeForm(
      tmA,
      world.people.childA1,
      world.people.childB1,
      world.people.childA1,
    );
    const response = await tmA.post(`/people/${world.people.childA1}/merge`, form);
    expect(response.statusCode).toBe(404);
    expect(await caseDataFingerprint(database)).toEqual(fingerprint);
  });
});

describe("what must be resolved first", () => {
  it("refuses two records that both have an open case, saying what to resolve, and moves nothing", async () => {
    const second = await duplicateOf(database, world, "Amelia", "Hartley", "2015-03-27");
    await database.db
      .insertInto("referral")
      .values({
        la_id: world.laId,
        person_id: second,
        referral_date: "2026-01-05",
        source: "1A",
        opened_by: world.users.swA.id,
      })
      .execute();
    const fingerprint = await caseDataFingerprint(database);
    const confirm = await tmA.get(`/people/${second}/merge/confirm?other=${duplicate}`);
    expect(confirm.body).toContain('data-testid="merge-blockers"');
    expect(confirm.body).toContain("Both records have an open case (referral)");
    const response = await tmA.post(
      `/people/${second}/merge`,
      await mergeForm(tmA, second, duplicate, second),
    );
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("Close one of the cases first");
    expect(await caseDataFingerprint(database)).toEqual(fingerprint);
    expect((await latestAudit(database)).outcome).toBe("failed");
  });

  it("asks for a reason and which record stays, keeping what was typed", async () => {
    const response = await tmA.post(`/people/${world.people.childA1}/merge`, {
      ...(await mergeForm(tmA, world.people.childA1, duplicate, "")),
      reason: "",
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('href="#reason"');
    expect(response.body).toContain('href="#survivor"');
  });
});

describe("a merge", () => {
  let before: Record<string, string>;
  let onDuplicate: Record<string, number>;
  let onSurvivor: Record<string, number>;
  let mergeId: string;

  it("moves everything to the surviving record in one step, audited naming both", async () => {
    before = await caseDataFingerprint(database);
    onDuplicate = await countOn(duplicate);
    onSurvivor = await countOn(world.people.childA1);
    // Every kind of record is on the duplicate, so the test sees every table move.
    const empty = Object.entries(onDuplicate).filter(([, n]) => n === 0);
    expect(empty.map(([k]) => k)).toEqual(["association.other_child_id"]);

    const response = await tmA.post(
      `/people/${world.people.childA1}/merge`,
      await mergeForm(tmA, world.people.childA1, duplicate, world.people.childA1),
    );
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/people/${world.people.childA1}`);

    const after = await countOn(duplicate);
    expect(Object.values(after).every((n) => n === 0)).toBe(true);
    const survivorNow = await countOn(world.people.childA1);
    for (const [key, n] of Object.entries(onDuplicate)) {
      const setAside = ["family_member.person_id", "person_address.person_id"].includes(key)
        ? 1
        : key.startsWith("relationship.")
          ? 1
          : 0;
      expect(survivorNow[key], key).toBe((onSurvivor[key] ?? 0) + n - setAside);
    }
    const person = await database.db
      .selectFrom("person")
      .selectAll()
      .where("id", "in", [duplicate, world.people.childA1])
      .execute();
    const survivor = person.find((p) => p.id === world.people.childA1);
    const merged = person.find((p) => p.id === duplicate);
    expect(survivor?.nhs_number).toBe("9434765919");
    expect(merged).toMatchObject({ merged_into: world.people.childA1, nhs_number: null });

    const audit = await latestAudit(database);
    expect(audit).toMatchObject({ action: "person.merge", outcome: "allowed" });
    expect(audit.person_ids).toEqual(expect.arrayContaining([world.people.childA1, duplicate]));
    expect(audit.summary).toMatchObject({ survivorId: world.people.childA1, mergedId: duplicate });
    mergeId = String(audit.subject_id);
  });

  it("redirects the merged-away record's address to the survivor for those who may see it", async () => {
    const old = await tmA.get(`/people/${duplicate}`);
    expect(old.statusCode).toBe(303);
    expect(old.headers.location).toBe(`/people/${world.people.childA1}`);
    const sw = await signIn(app, world.users.swA.email);
    expect((await sw.get(`/people/${duplicate}`)).statusCode).toBe(303);
    const other = await signIn(app, world.users.swB.email);
    expect((await other.get(`/people/${duplicate}`)).statusCode).toBe(404);
  });

  it("leaves the merged-away record out of search, caseloads and lists", async () => {
    const search = await tmA.get("/people?name=hartly");
    expect(search.body).not.toContain(`/people/${duplicate}"`);
    const caseload = await tmA.get("/caseloads");
    expect(caseload.body).not.toContain(duplicate);
    const rows = await database.db
      .selectFrom("allocation")
      .select("id")
      .where("person_id", "=", duplicate)
      .execute();
    expect(rows).toEqual([]);
  });

  it("shows the merge on the survivor with its undo, and the duplicate's history in the access log", async () => {
    const page = await tmA.get(`/people/${world.people.childA1}`);
    expect(page.body).toContain('data-testid="merged-records"');
    expect(page.body).toContain("Undo this merge");
    const log = await tmA.get(`/people/${world.people.childA1}/access-log`);
    expect(log.statusCode).toBe(200);
    expect(log.body).toContain("Merged two records of the person");
  });

  it("tells a second manager merging the same pair that it is already done, and changes nothing", async () => {
    const fingerprint = await caseDataFingerprint(database);
    const second = await signIn(app, tmA2.email);
    // The form as the second manager loaded it, before the first merge.
    const response = await second.post(`/people/${world.people.childA1}/merge`, {
      other: duplicate,
      survivor: duplicate,
      reason: "Same child",
      version: "1",
      otherVersion: "1",
    });
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain("already been merged");
    // The merged-away record's own merge form is gone with it.
    const reversed = await second.post(`/people/${duplicate}/merge`, {
      other: world.people.childA1,
      survivor: duplicate,
      reason: "Same child",
      version: "1",
      otherVersion: "1",
    });
    expect([404, 409]).toContain(reversed.statusCode);
    expect(await caseDataFingerprint(database)).toEqual(fingerprint);
  });

  it("cannot be undone after the undo period", async () => {
    const actor = await loadActor(database.db, world.users.tmA.id);
    if (!actor) throw new Error("no actor");
    const late = new Date(Date.parse("2026-03-02T10:00:00Z") + (MERGE_UNDO_DAYS + 1) * 86_400_000);
    const refused = await database.db
      .transaction()
      .execute((tx) => undoMerge(tx, actor, world.people.childA1, mergeId, late))
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).message).toContain(`${String(MERGE_UNDO_DAYS)} days`);
  });

  it("is undone exactly: every row back where it was, the identifiers returned, the record live again", async () => {
    const response = await tmA.post(`/people/${world.people.childA1}/unmerge`, { mergeId });
    expect(response.statusCode).toBe(303);
    expect(await caseDataFingerprint(database)).toEqual(before);
    expect(await countOn(duplicate)).toEqual(onDuplicate);
    expect(await countOn(world.people.childA1)).toEqual(onSurvivor);
    const audit = await latestAudit(database);
    expect(audit).toMatchObject({ action: "person.unmerge", outcome: "allowed" });
    expect(audit.person_ids).toEqual(expect.arrayContaining([world.people.childA1, duplicate]));
    expect((await tmA.get(`/people/${duplicate}`)).statusCode).toBe(200);
    const again = await tmA.post(`/people/${world.people.childA1}/unmerge`, { mergeId });
    expect(again.statusCode).toBe(409);
  });
});
