import { buildWorld, type World } from "../../../test/support/world.ts";
import type { PracticeRole } from "../../domain/family-safeguarding.ts";
import type { Db } from "../../platform/database.ts";
import { addAllocation, addPerson, addStaff } from "../caseloads/test-support.ts";

/**
 * The shared test world plus what Family Safeguarding tests need. In team fsA:
 *  - the social worker (swA), team manager (tmA) and business support (businessSupportA) hold
 *    their plain practice roles; the world's adult specialist is a mental health practitioner;
 *  - a domestic abuse practitioner (daA) and a recovery worker (recoveryA) are added;
 *  - all three adult specialists are allocated to the mother, so they see the Hartley family.
 * The Hartley family (childA1, childA2, motherA, and fatherA who is allocated to nobody) has a
 * Workbook opened on 2 February 2026. The Brennan family (childB1, team fsB) has one too, for
 * proving that fsA cannot see it. The test clock says Monday 2 March 2026.
 */
export interface FamilyWorld extends World {
  families: { hartley: string; brennan: string };
  workbooks: { hartley: string; brennan: string };
  staff: { daA: { id: string; email: string }; recoveryA: { id: string; email: string } };
  fatherA: string;
}

async function setPracticeRole(db: Db, userId: string, role: PracticeRole): Promise<void> {
  await db
    .updateTable("team_member")
    .set({ practice_role: role })
    .where("user_id", "=", userId)
    .execute();
}

export async function buildFamilyWorld(db: Db): Promise<FamilyWorld> {
  const world = await buildWorld(db);
  await setPracticeRole(db, world.users.swA.id, "social_worker");
  await setPracticeRole(db, world.users.tmA.id, "team_manager");
  await setPracticeRole(db, world.users.businessSupportA.id, "business_support");
  await setPracticeRole(db, world.users.swB.id, "social_worker");
  const daA = await addStaff(db, world, "da.a@test.example", "adult_specialist", [world.teams.fsA]);
  await setPracticeRole(db, daA.id, "domestic_abuse_practitioner");
  const recoveryA = await addStaff(db, world, "recovery.a@test.example", "adult_specialist", [
    world.teams.fsA,
  ]);
  await setPracticeRole(db, recoveryA.id, "recovery_worker");
  for (const worker of [daA, recoveryA]) {
    await addAllocation(db, world, {
      personId: world.people.motherA,
      workerId: worker.id,
      teamId: world.teams.fsA,
    });
  }
  const { family_id: hartley } = await db
    .selectFrom("family_member")
    .select("family_id")
    .where("person_id", "=", world.people.motherA)
    .executeTakeFirstOrThrow();
  const fatherA = await addPerson(db, world, "Mark", "Hartley", "1986-02-11");
  await db
    .insertInto("family_member")
    .values({ family_id: hartley, person_id: fatherA, la_id: world.laId })
    .execute();
  const brennan = await db
    .insertInto("family")
    .values({ la_id: world.laId, name: "Brennan family" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("family_member")
    .values({ family_id: brennan.id, person_id: world.people.childB1, la_id: world.laId })
    .execute();
  const openWorkbook = async (familyId: string, openedBy: string) =>
    (
      await db
        .insertInto("workbook")
        .values({
          la_id: world.laId,
          family_id: familyId,
          opened_on: "2026-02-02",
          opened_by: openedBy,
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  return {
    ...world,
    families: { hartley, brennan: brennan.id },
    workbooks: {
      hartley: await openWorkbook(hartley, world.users.swA.id),
      brennan: await openWorkbook(brennan.id, world.users.swB.id),
    },
    staff: { daA, recoveryA },
    fatherA,
  };
}
