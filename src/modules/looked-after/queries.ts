import type { UpdateObject } from "kysely";
import type { ClaEpisode } from "../../domain/looked-after-rules.ts";
import type { MissingEpisode } from "../../domain/missing-rules.ts";
import type { Db } from "../../platform/database.ts";
import { AppError } from "../../platform/errors.ts";
import type { DB } from "../../platform/schema.ts";
import { STALE_MESSAGE } from "./common.ts";

/**
 * Reads for the looked-after and missing pages. Callers have already checked that the actor
 * may see the child (getVisiblePerson), so these read by person id alone.
 */

export type StoredClaEpisode = ClaEpisode & { version: number; recordedBy: string };

export async function claEpisodesOf(db: Db, personId: string): Promise<StoredClaEpisode[]> {
  const rows = await db
    .selectFrom("cla_episode as e")
    .innerJoin("app_user as u", "u.id", "e.recorded_by")
    .select([
      "e.id",
      "e.start_date",
      "e.end_date",
      "e.reason_new_episode",
      "e.legal_status",
      "e.placement_type",
      "e.placement_provider",
      "e.placement_postcode",
      "e.reason_ceased",
      "e.version",
      "u.display_name",
    ])
    .where("e.person_id", "=", personId)
    .orderBy("e.start_date")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    startDate: r.start_date,
    endDate: r.end_date,
    reasonNewEpisode: r.reason_new_episode,
    legalStatus: r.legal_status,
    placementType: r.placement_type,
    placementProvider: r.placement_provider,
    placementPostcode: r.placement_postcode,
    reasonCeased: r.reason_ceased,
    version: r.version,
    recordedBy: r.display_name,
  }));
}

export async function claReviewsOf(db: Db, personId: string) {
  return db
    .selectFrom("cla_review as r")
    .innerJoin("app_user as u", "u.id", "r.recorded_by")
    .select(["r.id", "r.held_on", "r.due_on", "r.participation", "u.display_name"])
    .where("r.person_id", "=", personId)
    .orderBy("r.held_on")
    .execute();
}

export type StoredMissingEpisode = MissingEpisode & {
  kind: "M" | "A";
  whereFound: string;
  interviewHeldAt: Date | null;
  childSaid: string;
  version: number;
};

export async function missingEpisodesOf(db: Db, personId: string): Promise<StoredMissingEpisode[]> {
  const rows = await db
    .selectFrom("missing_episode")
    .selectAll()
    .where("person_id", "=", personId)
    .orderBy("started_at", "desc")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    whereFound: r.where_found,
    interviewOfferedAt: r.interview_offered_at,
    interviewAccepted: r.interview_accepted,
    interviewHeldAt: r.interview_held_at,
    childSaid: r.child_said,
    version: r.version,
  }));
}

/**
 * Locks the child's row for the rest of the transaction, so two requests recording on the
 * same child (say, two people starting a period of care at once) run one after the other and
 * the second sees what the first saved.
 */
export async function lockChild(tx: Db, personId: string): Promise<void> {
  await tx
    .selectFrom("person")
    .select("id")
    .where("id", "=", personId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

type Versioned = "cla_episode" | "missing_episode";

/**
 * Changes an episode only if it is still at the version the save read it at, and moves the
 * version on; if someone saved in between, nothing is changed and the save is refused (409).
 */
export async function updateAtVersion<T extends Versioned>(
  tx: Db,
  table: T,
  episode: { id: string; version: number },
  changes: UpdateObject<DB, T>,
): Promise<void> {
  // Kysely cannot type a query on a table chosen by a type parameter; `changes` is checked
  // against the one table above, so widening to both tables here loses nothing.
  const either: Versioned = table;
  const updated = await tx
    .updateTable(either)
    .set({ ...(changes as UpdateObject<DB, Versioned>), version: episode.version + 1 })
    .where("id", "=", episode.id)
    .where("version", "=", episode.version)
    .executeTakeFirst();
  if (updated.numUpdatedRows !== 1n) throw new AppError("conflict", STALE_MESSAGE);
}
