/**
 * The council's children as the DfE's daily feed describes them (specs/dfe-csc-api/,
 * decision 0034): every child of the council, not merged away, with at least one episode of
 * need (a referral), read into `FeedChild` values for `childDocument`.
 *
 * Set-based: one query per table over the children in scope, assembled in memory, so the
 * large demo council takes a handful of queries rather than one per child. Every list is
 * ordered so that the same records always build the same document (its hash is the change
 * detection).
 */
import { sql, type RawBuilder } from "kysely";
import type { FeedChild, FeedEpisode } from "../../domain/dfe-feed/document.ts";
import type { Db } from "../../platform/database.ts";

/** The children in scope: the council's, not merged away, with a referral. */
function childrenInScope(laId: string): RawBuilder<unknown> {
  return sql`select p.id from person p where p.la_id = ${laId} and p.merged_into is null
    and exists (select 1 from referral r where r.person_id = p.id)`;
}

/** `date` column as text (the driver may give a string or a Date). */
function day(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return typeof value === "string" ? value.slice(0, 10) : null;
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string | null): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    if (k === null) continue;
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}

async function loadRecords(db: Db, laId: string) {
  const scope = childrenInScope(laId);
  const ofScope = sql<boolean>`person_id in (${scope})`;
  const [people, postcodes, referrals, assessments, cinPlans, s47s, icpcs, plans, placements] =
    await Promise.all([
      db
        .selectFrom("person")
        .select([
          "id",
          "la_child_id",
          "upn",
          "given_name",
          "family_name",
          "date_of_birth",
          "sex",
          "ethnicity",
        ])
        .where(sql<boolean>`id in (${scope})`)
        .orderBy("la_child_id")
        .execute(),
      // Where the child lives now; a confidential address (a refuge) is never sent.
      sql<{ person_id: string; postcode: string }>`
        select distinct on (pa.person_id) pa.person_id, a.postcode
        from person_address pa join address a on a.id = pa.address_id
        where pa.person_id in (${scope}) and pa.end_date is null and not a.confidential
        order by pa.person_id, pa.start_date desc, a.id`
        .execute(db)
        .then((r) => r.rows),
      db
        .selectFrom("referral")
        .select(["id", "person_id", "referral_date", "source", "closed_on", "closure_reason"])
        .where(ofScope)
        .orderBy("referral_date")
        .orderBy("id")
        .execute(),
      db
        .selectFrom("assessment")
        .select(["id", "referral_id", "started_on", "authorised_on", "factors"])
        .where(ofScope)
        .orderBy("started_on")
        .orderBy("id")
        .execute(),
      db
        .selectFrom("cin_plan")
        .select(["id", "referral_id", "start_date", "end_date"])
        .where(ofScope)
        .orderBy("start_date")
        .orderBy("id")
        .execute(),
      db
        .selectFrom("s47_enquiry")
        .select(["id", "referral_id", "started_on", "completed_on", "outcome"])
        .where(ofScope)
        .orderBy("started_on")
        .orderBy("id")
        .execute(),
      db
        .selectFrom("cp_conference")
        .select(["s47_enquiry_id", "held_on"])
        .where("kind", "=", "initial")
        .where(ofScope)
        .orderBy("held_on")
        .execute(),
      db
        .selectFrom("cp_plan")
        .select(["id", "referral_id", "start_date", "end_date"])
        .where(ofScope)
        .orderBy("start_date")
        .orderBy("id")
        .execute(),
      db
        .selectFrom("cla_episode")
        .select([
          "id",
          "person_id",
          "referral_id",
          "start_date",
          "reason_new_episode",
          "placement_type",
          "placement_postcode",
          "end_date",
          "reason_ceased",
        ])
        .where(ofScope)
        .orderBy("start_date")
        .orderBy("id")
        .execute(),
    ]);
  const workers = await db
    .selectFrom("allocation")
    .select(["person_id", "worker_id", "start_date", "end_date"])
    .where(ofScope)
    .orderBy("start_date")
    .orderBy("worker_id")
    .execute();
  return {
    people,
    postcodes,
    referrals,
    assessments,
    cinPlans,
    s47s,
    icpcs,
    plans,
    placements,
    workers,
  };
}

type Records = Awaited<ReturnType<typeof loadRecords>>;

function indexes(r: Records) {
  return {
    postcodes: new Map(r.postcodes.map((p) => [p.person_id, p.postcode])),
    referrals: groupBy(r.referrals, (x) => x.person_id),
    assessments: groupBy(r.assessments, (x) => x.referral_id),
    cinPlans: groupBy(r.cinPlans, (x) => x.referral_id),
    s47s: groupBy(r.s47s, (x) => x.referral_id),
    icpcs: new Map(r.icpcs.map((c) => [c.s47_enquiry_id ?? "", day(c.held_on)])),
    plans: groupBy(r.plans, (x) => x.referral_id),
    placements: groupBy(r.placements, (x) => x.person_id),
    workers: groupBy(r.workers, (x) => x.person_id),
  };
}
type Indexes = ReturnType<typeof indexes>;

/**
 * The episode a placement belongs to: the referral it names, else the child's latest referral
 * made on or before it started (a placement recorded without one), else none.
 */
function episodeOfPlacement(
  placement: Records["placements"][number],
  referrals: readonly Records["referrals"][number][],
): string | null {
  if (placement.referral_id) return placement.referral_id;
  const started = day(placement.start_date) ?? "";
  const before = referrals.filter((r) => (day(r.referral_date) ?? "") <= started);
  return before.at(-1)?.id ?? null;
}

function episodeOf(
  r: Records["referrals"][number],
  placements: readonly Records["placements"][number][],
  by: Indexes,
): FeedEpisode {
  const opened = day(r.referral_date) ?? "";
  const closed = day(r.closed_on);
  const assessments = by.assessments.get(r.id) ?? [];
  const s47s = by.s47s.get(r.id) ?? [];
  const cinPlans = by.cinPlans.get(r.id) ?? [];
  const cpPlans = by.plans.get(r.id) ?? [];
  // The workers allocated to the child while this episode was open.
  const workers = (by.workers.get(r.person_id) ?? []).filter(
    (w) =>
      (closed === null || (day(w.start_date) ?? "") <= closed) &&
      (w.end_date === null || (day(w.end_date) ?? "") >= opened),
  );
  return {
    referralId: r.id,
    referralDate: opened,
    source: r.source,
    // As in the CIN census (decision 0031): closed with nothing done under it.
    noFurtherAction:
      closed !== null &&
      assessments.length === 0 &&
      s47s.length === 0 &&
      cinPlans.length === 0 &&
      cpPlans.length === 0,
    closedOn: closed,
    closureReason: r.closure_reason,
    workers: workers.map((w) => ({
      workerId: w.worker_id,
      startDate: day(w.start_date) ?? "",
      endDate: day(w.end_date),
    })),
    assessments: assessments.map((a) => ({
      id: a.id,
      startedOn: day(a.started_on) ?? "",
      authorisedOn: day(a.authorised_on),
      factors: [...a.factors],
    })),
    cinPlans: cinPlans.map((p) => ({
      id: p.id,
      startDate: day(p.start_date) ?? "",
      endDate: day(p.end_date),
    })),
    section47s: s47s.map((e) => ({
      id: e.id,
      startedOn: day(e.started_on) ?? "",
      icpcRequired: e.outcome === null ? null : e.outcome === "icpc",
      icpcOn: by.icpcs.get(e.id) ?? null,
      completedOn: day(e.completed_on),
    })),
    cpPlans: cpPlans.map((p) => ({
      id: p.id,
      startDate: day(p.start_date) ?? "",
      endDate: day(p.end_date),
    })),
    placements: placements.map((p) => ({
      id: p.id,
      startDate: day(p.start_date) ?? "",
      startReason: p.reason_new_episode,
      placementType: p.placement_type,
      postcode: p.placement_postcode,
      endDate: day(p.end_date),
      endReason: p.reason_ceased,
    })),
  };
}

/** The council's DfE LA number (local_authority.code), as the feed's integer. */
export async function feedLaCode(db: Db, laId: string): Promise<number> {
  const la = await db
    .selectFrom("local_authority")
    .select("code")
    .where("id", "=", laId)
    .executeTakeFirstOrThrow();
  return Number(la.code);
}

export async function readFeedChildren(db: Db, laId: string): Promise<FeedChild[]> {
  const laCode = await feedLaCode(db, laId);
  const records = await loadRecords(db, laId);
  const by = indexes(records);
  return records.people.map((p) => {
    const referrals = by.referrals.get(p.id) ?? [];
    const placementsBy = groupBy(by.placements.get(p.id) ?? [], (c) =>
      episodeOfPlacement(c, referrals),
    );
    return {
      laCode,
      personId: p.id,
      laChildId: p.la_child_id,
      purge: false,
      details: {
        upn: p.upn,
        givenName: p.given_name,
        familyName: p.family_name,
        dateOfBirth: day(p.date_of_birth),
        sex: p.sex,
        ethnicity: p.ethnicity,
        postcode: by.postcodes.get(p.id) ?? null,
      },
      episodes: referrals.map((r) => episodeOf(r, placementsBy.get(r.id) ?? [], by)),
    };
  });
}
