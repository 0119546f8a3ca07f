/**
 * A partner system reads back intelligence it submitted (decision 0043): only what its own
 * account recorded, in its own council, and only while the actor may still see it (a child
 * no longer shared with its agency takes the intelligence about them out of sight too).
 */
import type { Actor } from "../../access/actor.ts";
import { incidentVisible } from "../../access/incidents.ts";
import { associationVisible } from "../../access/network.ts";
import type { Db } from "../../platform/database.ts";

/** An association the actor recorded and may still see, with what it was with. */
export async function ownAssociation(db: Db, actor: Actor, now: Date, id: string) {
  return db
    .selectFrom("association")
    .select([
      "id",
      "child_id",
      "other_child_id",
      "person_of_concern_id",
      "location_id",
      "peer_group_id",
      "first_seen_on",
      "last_seen_on",
      "source_grading",
      "information_grading",
      "corroborated",
      "share_with_partners",
      "notes",
      "recorded_at",
    ])
    .where("id", "=", id)
    .where("la_id", "=", actor.laId)
    .where("recorded_by", "=", actor.userId)
    .where(associationVisible(actor, now))
    .executeTakeFirst();
}

/** An incident the actor recorded and may still see, with the children and persons it names. */
export async function ownIncident(db: Db, actor: Actor, now: Date, id: string) {
  const incident = await db
    .selectFrom("incident")
    .select([
      "id",
      "kind",
      "occurred_on",
      "location_id",
      "description",
      "share_with_partners",
      "recorded_at",
    ])
    .where("id", "=", id)
    .where("la_id", "=", actor.laId)
    .where("recorded_by", "=", actor.userId)
    .where(incidentVisible(actor, now))
    .executeTakeFirst();
  if (!incident) return undefined;
  const subjects = await db
    .selectFrom("incident_subject")
    .select(["person_id", "person_of_concern_id"])
    .where("incident_id", "=", id)
    .orderBy("id")
    .execute();
  return {
    ...incident,
    childIds: subjects.flatMap((s) => (s.person_id ? [s.person_id] : [])),
    personOfConcernIds: subjects.flatMap((s) =>
      s.person_of_concern_id ? [s.person_of_concern_id] : [],
    ),
  };
}
