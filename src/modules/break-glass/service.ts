/**
 * Emergency ("break-glass") access as plain functions `(db, actor, input)` in the caller's
 * transaction (decision 0029): the search that finds a record outside one's caseload, the
 * time-limited grant, the reviews of both, and the head of service's list of case roles granted
 * by administrators. Who may reach or review what is decided in src/access/visibility.ts.
 */
import { sql } from "kysely";
import type { Actor } from "../../access/actor.ts";
import { breakGlassReachable, breakGlassReviewable } from "../../access/visibility.ts";
import { caseRoles } from "../../access/permissions.ts";
import type { Db } from "../../platform/database.ts";
import { AppError, notFound } from "../../platform/errors.ts";
import type { ReviewOutcome } from "../../platform/schema.ts";
import { searchPeople } from "../people/queries.ts";

export const BREAK_GLASS_HOURS = 8;
export const MIN_REASON = 10;
export const MAX_REASON = 1000;

/** What is wrong with a reason for emergency access, if anything. */
export function reasonProblem(reason: string): string | undefined {
  if (reason.length < MIN_REASON)
    return `Give the reason you need emergency access, in ${String(MIN_REASON)} characters or more`;
  if (reason.length > MAX_REASON) return "The reason must be 1000 characters or fewer";
  return undefined;
}

/**
 * Searches for a person to open with emergency access. Only what is needed to pick the person
 * is returned (no address, no allocation, no full birth date); the search and its reason are
 * kept for review, the words searched for are not.
 */
export async function emergencySearch(
  db: Db,
  actor: Actor,
  input: { name: string; reason: string; now: Date },
) {
  const hits = await searchPeople(
    db,
    actor,
    { name: input.name, dateOfBirth: null },
    input.now,
    "break_glass",
  );
  const results = hits.map((hit) => ({
    id: hit.id,
    given_name: hit.given_name,
    family_name: hit.family_name,
    year_of_birth: hit.date_of_birth?.slice(0, 4) ?? "",
  }));
  const search = await db
    .insertInto("break_glass_search")
    .values({
      la_id: actor.laId,
      user_id: actor.userId,
      reason: input.reason,
      results: results.length,
      searched_at: input.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { searchId: search.id, results };
}

/**
 * Grants emergency access to a person's record for BREAK_GLASS_HOURS. A reason too short or too
 * long is refused; a person out of reach (another council's, restricted) is not found.
 */
export async function grantEmergencyAccess(
  db: Db,
  actor: Actor,
  input: { personId: string; reason: string; now: Date },
): Promise<{ grantId: string }> {
  const problem = reasonProblem(input.reason);
  if (problem) throw new AppError("validation", problem);
  const reachable = await db
    .selectFrom("person")
    .select("person.id")
    .where("person.id", "=", input.personId)
    .where(breakGlassReachable(actor))
    .executeTakeFirst();
  if (!reachable) throw notFound("Person");
  const grant = await db
    .insertInto("break_glass")
    .values({
      la_id: actor.laId,
      user_id: actor.userId,
      person_id: input.personId,
      reason: input.reason,
      started_at: input.now,
      expires_at: new Date(input.now.getTime() + BREAK_GLASS_HOURS * 3_600_000),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { grantId: grant.id };
}

export interface Review {
  outcome: ReviewOutcome;
  note: string;
}

/** Records the review of a grant the actor may review; any other is not found. */
export async function reviewGrant(
  db: Db,
  actor: Actor,
  input: Review & { grantId: string; now: Date },
): Promise<{ personId: string }> {
  const updated = await db
    .updateTable("break_glass")
    .set({
      reviewed_by: actor.userId,
      reviewed_at: input.now,
      review_outcome: input.outcome,
      review_note: input.note,
    })
    .where("id", "=", input.grantId)
    .where(breakGlassReviewable(actor, "break_glass"))
    .returning("person_id")
    .executeTakeFirst();
  if (!updated) throw notFound();
  return { personId: updated.person_id };
}

/** Records the review of a search the actor may review; any other is not found. */
export async function reviewSearch(
  db: Db,
  actor: Actor,
  input: Review & { searchId: string; now: Date },
): Promise<void> {
  const updated = await db
    .updateTable("break_glass_search")
    .set({
      reviewed_by: actor.userId,
      reviewed_at: input.now,
      review_outcome: input.outcome,
      review_note: input.note,
    })
    .where("id", "=", input.searchId)
    .where(breakGlassReviewable(actor, "break_glass_search"))
    .returning("id")
    .executeTakeFirst();
  if (!updated) throw notFound();
}

/** The most grants the oversight page lists. */
export const GRANT_LIMIT = 500;

/**
 * Every account an administrator of the actor's council created with a case role (one that
 * sees records), newest first, read from the audit log so none can be left off the list
 * without breaking the audit chain (decision 0016).
 */
export async function caseRoleGrants(db: Db, actor: Actor) {
  return db
    .selectFrom("audit_log as l")
    .leftJoin("app_user as granter", "granter.id", "l.actor_user_id")
    .leftJoin("app_user as account", (join) =>
      join.on(sql<boolean>`account.id::text = l.subject_id`),
    )
    .select([
      "l.seq",
      "l.occurred_at",
      sql<string>`l.summary->>'role'`.as("role"),
      "granter.display_name as granted_by",
      "granter.role as granter_role",
      "account.display_name as account_name",
      "account.email as account_email",
      "account.active as account_active",
    ])
    .where("l.la_id", "=", actor.laId)
    .where("l.action", "=", "user.create")
    .where("l.outcome", "=", "allowed")
    .where(sql<boolean>`l.summary->>'role' = any(${[...caseRoles]}::text[])`)
    .orderBy("l.seq", "desc")
    .limit(GRANT_LIMIT)
    .execute();
}
