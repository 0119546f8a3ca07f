/**
 * Chronology helpers for the demo. The chronology itself is derived from the generated
 * journey (journeys*.ts): every record the generator writes adds its event, with a kind from
 * src/domain/chronology.ts and the record as its subject, so the chronology and the records
 * always agree. This file adds the events for what casework.ts creates: record shares.
 */
import type { Insertable } from "kysely";
import type { DB } from "../platform/schema.ts";
import { dateOf } from "./journeys-calendar.ts";
import type { JourneyWorld } from "./journeys-world.ts";

/** A "record shared" event for each share, on the day it was made, by whoever made it. */
export function shareChronology(
  w: JourneyWorld,
  shares: readonly Insertable<DB["record_share"]>[],
): void {
  const names = new Map(w.orgs.rows.map((o) => [o.id, o.name]));
  for (const share of shares) {
    const when =
      share.shared_at instanceof Date ? share.shared_at : new Date(String(share.shared_at));
    const day = Math.floor(when.getTime() / 86_400_000);
    w.sink.push("chronology_entry", {
      id: w.id(),
      la_id: w.laId,
      person_id: share.person_id,
      occurred_on: dateOf(day),
      kind: "record_shared",
      summary: `Record shared with ${names.get(share.organisation_id) ?? "a partner agency"}: ${share.purpose}.`,
      organisation_id: w.orgs.la,
      recorded_by: share.shared_by,
      recorded_at: when,
      subject_type: "record_share",
      subject_id: share.id ?? null,
    });
  }
}
