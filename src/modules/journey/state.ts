import { sql } from "kysely";
import type { ChildState } from "../../domain/journey-rules.ts";
import type { Db } from "../../platform/database.ts";
import { AppError, type FieldError } from "../../platform/errors.ts";
import type { RuleProblem } from "../../domain/journey-rules.ts";

/**
 * The child's current journey state, for the rules in src/domain/journey-rules.ts. Locks the
 * person row first: two steps on one child (say, two people closing the case) run one after
 * the other, so each sees what the other did.
 */
export async function lockChildState(tx: Db, personId: string): Promise<ChildState> {
  return childState(tx, personId, true);
}

/** The child's current journey state, read without locking (for pages). */
export async function childState(db: Db, personId: string, lock = false): Promise<ChildState> {
  const query = db
    .selectFrom("person as p")
    .where("p.id", "=", personId)
    .select((eb) => [
      "p.given_name",
      "p.family_name",
      "p.date_of_birth",
      eb
        .selectFrom("referral as r")
        .whereRef("r.person_id", "=", "p.id")
        .where("r.closed_on", "is", null)
        .select(sql<string>`json_build_object('id', r.id, 'referralDate', r.referral_date)`.as("j"))
        .as("open_referral"),
      sql<boolean>`exists (select 1 from assessment a join referral r on r.id = a.referral_id
        where a.person_id = p.id and r.closed_on is null and a.authorised_on is null)`.as(
        "open_assessment",
      ),
      // In progress: no outcome yet, or an initial conference is needed and not yet held.
      sql<boolean>`exists (select 1 from s47_enquiry s where s.person_id = p.id
        and (s.completed_on is null or (s.outcome = 'icpc' and not exists (
          select 1 from cp_conference c where c.s47_enquiry_id = s.id))))`.as("open_s47"),
      sql<boolean>`exists (select 1 from cp_plan c where c.person_id = p.id
        and c.end_date is null)`.as("open_cp_plan"),
      eb
        .selectFrom("cin_plan as c")
        .whereRef("c.person_id", "=", "p.id")
        .where("c.end_date", "is", null)
        .select(sql<string>`json_build_object('id', c.id, 'startDate', c.start_date)`.as("j"))
        .as("open_cin_plan"),
      sql<boolean>`exists (select 1 from cla_episode c where c.person_id = p.id
        and c.end_date is null)`.as("open_cla"),
      sql<boolean>`exists (select 1 from early_help_episode e where e.person_id = p.id
        and e.end_date is null)`.as("open_early_help"),
    ]);
  const row = await (lock ? query.forUpdate("p") : query).executeTakeFirstOrThrow();
  return {
    name: `${row.given_name} ${row.family_name}`,
    dateOfBirth: row.date_of_birth,
    openReferral: parseJson(row.open_referral) as ChildState["openReferral"],
    openAssessment: row.open_assessment,
    openS47: row.open_s47,
    openCpPlan: row.open_cp_plan,
    openCinPlan: parseJson(row.open_cin_plan) as ChildState["openCinPlan"],
    openClaEpisode: row.open_cla,
    openEarlyHelp: row.open_early_help,
  };
}

/** json_build_object arrives parsed from pg and as text from PGlite. */
function parseJson(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  return typeof value === "string" ? (JSON.parse(value) as unknown) : value;
}

/** Refuses the step if any rule is broken, naming each field. */
export function refuseIfBroken(problems: readonly RuleProblem[], message: string): void {
  if (problems.length > 0) {
    const fields: FieldError[] = problems.map((p) => ({ field: p.field, message: p.message }));
    throw new AppError("validation", message, fields);
  }
}
