/**
 * Sharing a person's record with a partner agency, on a recorded lawful basis and purpose, and
 * revoking it: plain functions `(db, actor, input)` in the caller's transaction, for the pages
 * and the API alike. A share is what lets that agency's practitioners see the record
 * (src/access/visibility.ts); the share and its revocation go on the chronology.
 */
import { z } from "zod";
import type { Actor } from "../../access/actor.ts";
import { isCode, lawfulBasesForSharing } from "../../domain/code-lists.ts";
import { isCalendarDate } from "../../domain/dates.ts";
import type { Db } from "../../platform/database.ts";
import { AppError, notFound, type FieldError } from "../../platform/errors.ts";
import { Id } from "../../platform/schemas.ts";
import { recordEvent } from "../chronology/record.ts";

/** The agencies of the council a record may be shared with (not children's services itself). */
export async function partnerOrganisations(db: Db, laId: string) {
  return db
    .selectFrom("organisation")
    .select(["id", "name"])
    .where("la_id", "=", laId)
    .where("kind", "!=", "la_childrens_services")
    .orderBy("name")
    .execute();
}

export const NewShare = z.object({
  personId: Id,
  organisationId: z.string(),
  lawfulBasis: z.string(),
  purpose: z.string(),
  /** YYYY-MM-DD, or "" to share until someone ends it. */
  expiresOn: z.string(),
  /** Special category data needs its own decision: only a ticked box shares it. */
  includesHealth: z.boolean(),
  today: z.string(),
  now: z.date(),
});
export type NewShare = z.infer<typeof NewShare>;

/**
 * Shares the record, or refuses with every problem named at once: an agency that is not this
 * council's partner, an unknown lawful basis, a purpose outside 5 to 500 characters, an end
 * date not after today, or a share with that agency that is still live.
 */
export async function shareRecord(db: Db, actor: Actor, input: NewShare) {
  const share = NewShare.parse(input);
  const errors: FieldError[] = [];
  const organisation = (await partnerOrganisations(db, actor.laId)).find(
    (o) => o.id === share.organisationId,
  );
  if (!organisation) {
    errors.push({ field: "organisationId", message: "Choose the agency to share with" });
  }
  if (!isCode(lawfulBasesForSharing, share.lawfulBasis)) {
    errors.push({ field: "lawfulBasis", message: "Choose the lawful basis for sharing" });
  }
  if (share.purpose.length < 5 || share.purpose.length > 500) {
    errors.push({ field: "purpose", message: "Say why you are sharing, in 5 to 500 characters" });
  }
  if (share.expiresOn && (!isCalendarDate(share.expiresOn) || share.expiresOn <= share.today)) {
    errors.push({
      field: "expiresOn",
      message: "The end date must be a real date after today, like 2027-03-31",
    });
  }
  if (organisation) {
    const existing = await db
      .selectFrom("record_share")
      .select("id")
      .where("person_id", "=", share.personId)
      .where("organisation_id", "=", organisation.id)
      .where("revoked_at", "is", null)
      .where((eb) => eb.or([eb("expires_on", "is", null), eb("expires_on", ">=", share.today)]))
      .executeTakeFirst();
    if (existing) {
      errors.push({
        field: "organisationId",
        message: `This record is already shared with ${organisation.name}`,
      });
    }
  }
  if (errors.length > 0 || !organisation) {
    throw new AppError("validation", "Check the details you entered", errors);
  }
  const row = await db
    .insertInto("record_share")
    .values({
      la_id: actor.laId,
      person_id: share.personId,
      organisation_id: organisation.id,
      lawful_basis: share.lawfulBasis,
      purpose: share.purpose,
      shared_by: actor.userId,
      shared_at: share.now,
      expires_on: share.expiresOn || null,
      includes_health: share.includesHealth,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordEvent(db, actor, {
    personId: share.personId,
    occurredOn: share.today,
    kind: "record_shared",
    summary: `Record shared with ${organisation.name}`,
    subject: { type: "record_share", id: row.id },
  });
  return { shareId: row.id, organisationId: organisation.id };
}

/** Ends a live share of the person's record; a share that is not live is not found. */
export async function revokeShare(
  db: Db,
  actor: Actor,
  input: { personId: string; shareId: string; today: string; now: Date },
) {
  const revoked = await db
    .updateTable("record_share")
    .set({ revoked_at: input.now })
    .where("id", "=", input.shareId)
    .where("person_id", "=", input.personId)
    .where("revoked_at", "is", null)
    .returning("organisation_id")
    .executeTakeFirst();
  if (!revoked) throw notFound("Share");
  const organisation = await db
    .selectFrom("organisation")
    .select("name")
    .where("id", "=", revoked.organisation_id)
    .executeTakeFirstOrThrow();
  await recordEvent(db, actor, {
    personId: input.personId,
    occurredOn: input.today,
    kind: "share_revoked",
    summary: `Sharing with ${organisation.name} ended`,
    subject: { type: "record_share", id: input.shareId },
  });
}
