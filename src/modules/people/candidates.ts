/**
 * Is this person already on Trellis? Before a record is created (decision 0022), the details
 * are matched against every person of the LA: NHS number and UPN exactly; name with spelling
 * and phonetic tolerance, with the date of birth (also with day and month swapped); postcode
 * and first line of address. Each candidate is scored 0-100. What the actor learns of a
 * candidate follows visibility: the details of a record they may see; of any other, only
 * that a possible match exists (the front door checks it).
 */
import { sql } from "kysely";
import type { Actor } from "../../access/actor.ts";
import { personVisible } from "../../access/visibility.ts";
import { todayIn } from "../../domain/dates.ts";
import type { Db } from "../../platform/database.ts";
import {
  atAddress,
  atPostcode,
  nameCandidateIds,
  nameQuery,
  nameScore,
  postcodeKey,
} from "./matching.ts";

export interface PersonDetails {
  givenName: string;
  familyName: string;
  dateOfBirth?: string | null;
  nhsNumber?: string | null;
  upn?: string | null;
  postcode?: string | null;
  addressLine1?: string | null;
}

export const matchReasons = [
  "nhs_number",
  "upn",
  "name",
  "similar_name",
  "date_of_birth",
  "postcode",
  "address",
] as const;
export type MatchReason = (typeof matchReasons)[number];

export const matchReasonLabels: Record<MatchReason, string> = {
  nhs_number: "Same NHS number",
  upn: "Same unique pupil number",
  name: "Same name",
  similar_name: "Similar name or sounds the same",
  date_of_birth: "Same date of birth",
  postcode: "Same postcode",
  address: "Same address",
};

/** A record the actor may see: its details are shown so they can tell if it is the same. */
export interface VisibleCandidate {
  visible: true;
  id: string;
  score: number;
  reasons: MatchReason[];
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  postcode: string | null;
  allocated: string | null;
}

/**
 * A record the actor may not see. The id is for the service (to route it to the front door)
 * and must never reach the page: the actor learns only that a possible match exists.
 */
export interface HiddenCandidate {
  visible: false;
  id: string;
  score: number;
  reasons: MatchReason[];
}

export type PersonCandidate = VisibleCandidate | HiddenCandidate;

/** Below this a record is not worth asking about (a namesake with another date of birth). */
export const CANDIDATE_THRESHOLD = 50;
const CANDIDATE_LIMIT = 10;

/** 27 3 2015 also looks for 3 27 2015 wherever both are dates (day and month swapped). */
function swappedDate(iso: string): string | null {
  const [year, month, day] = iso.split("-");
  if (!year || !month || !day || day === month || Number(day) > 12) return null;
  return `${year}-${day}-${month}`;
}

interface Row {
  id: string;
  score: number;
  nhs: boolean;
  upn: boolean;
  exact_name: boolean;
  name_score: number;
  dob: boolean;
  postcode_match: boolean;
  address_match: boolean;
  visible: boolean;
  given_name: string;
  family_name: string;
  date_of_birth: string | null;
  postcode: string | null;
  allocated: string | null;
}

/**
 * The people who may be the person described, best first (at most 10, score at least 50).
 * Excludes `exceptId` (a record compared with itself). Reads across the LA, so the caller
 * audits the search; the actor sees only what `PersonCandidate` allows.
 */
export async function findPersonCandidates(
  db: Db,
  actor: Actor,
  details: PersonDetails,
  now: Date = new Date(),
  exceptId: string | null = null,
): Promise<PersonCandidate[]> {
  const laId = actor.laId;
  const name = nameQuery(`${details.givenName} ${details.familyName}`);
  const dob = details.dateOfBirth ?? null;
  const swapped = dob ? swappedDate(dob) : null;
  const postcode = details.postcode?.trim() ? details.postcode.trim() : null;
  const line1 = details.addressLine1?.trim() ? details.addressLine1.trim() : null;
  // Given a date of birth and no address, a namesake born on a plainly different day cannot
  // reach the threshold (55 - 10.5 < 50), so the name blocks leave them out before scoring:
  // with the commonest names that is most of each block.
  const namesakeMayMatch =
    dob && !postcode && !line1
      ? sql<boolean>`(c.date_of_birth is null or abs(c.date_of_birth - ${dob}::date) <= 31
          or to_char(c.date_of_birth, 'MM-DD') = to_char(${dob}::date, 'MM-DD')
          or c.date_of_birth = ${swapped}::date)`
      : sql<boolean>`true`;
  const branches = [
    details.nhsNumber
      ? sql`select id from person where la_id = ${laId} and nhs_number = ${details.nhsNumber}`
      : undefined,
    details.upn
      ? sql`select id from person where la_id = ${laId} and upn = ${details.upn.toUpperCase()}`
      : undefined,
    dob
      ? sql`select id from person where la_id = ${laId} and date_of_birth = ${dob}::date`
      : undefined,
    swapped
      ? sql`select id from person where la_id = ${laId} and date_of_birth = ${swapped}::date`
      : undefined,
    name ? nameCandidateIds(laId, name, namesakeMayMatch) : undefined,
    postcode ? atPostcode(laId, postcode) : undefined,
    line1 && !postcode ? atAddress(laId, line1) : undefined,
  ].filter((b) => b !== undefined);
  if (branches.length === 0) return [];
  const union = sql.join(branches, sql` union `);
  const today = todayIn(now);
  const nameSim = name ? nameScore("p", name) : sql<number>`0`;
  // The date of birth: the same, swapped day and month, within a month, or unknown on one side;
  // a date of birth plainly different counts against (a namesake is not the same person).
  const dobScore = dob
    ? sql<number>`(case when p.date_of_birth = ${dob}::date then 1
        when p.date_of_birth = ${swapped}::date then 0.8
        when p.date_of_birth is null then 0.3
        when abs(p.date_of_birth - ${dob}::date) <= 31
          or to_char(p.date_of_birth, 'MM-DD') = to_char(${dob}::date, 'MM-DD') then 0.5
        else -0.3 end)`
    : sql<number>`0.3`;
  const currentAddress = sql`(select a.id from person_address pa join address a on a.id = pa.address_id
    where pa.person_id = p.id and pa.end_date is null and not a.confidential
    order by pa.start_date desc limit 1)`;
  const samePostcode = postcode
    ? sql<boolean>`exists (select 1 from address a where a.id = ${currentAddress}
        and upper(replace(a.postcode, ' ', '')) = ${postcodeKey(postcode)})`
    : sql<boolean>`false`;
  const sameLine = line1
    ? sql<boolean>`exists (select 1 from address a where a.id = ${currentAddress}
        and similarity(lower(a.line1), ${line1.toLowerCase()}) >= 0.5)`
    : sql<boolean>`false`;
  const rows = await sql<Row>`
    with found as (${union}),
    scored as (
      select p.id,
        ${details.nhsNumber ? sql`p.nhs_number = ${details.nhsNumber}` : sql`false`} as nhs,
        ${details.upn ? sql`p.upn = ${details.upn.toUpperCase()}` : sql`false`} as upn,
        ${name ? sql`p.search_name = ${name.full}` : sql`false`} as exact_name,
        ${nameSim} as name_score,
        ${dobScore} as dob_score,
        ${samePostcode} as postcode_match,
        ${sameLine} as address_match
      from person p join found f on f.id = p.id
      where p.la_id = ${laId} ${exceptId ? sql`and p.id <> ${exceptId}` : sql``}
    ),
    ranked as (
      select s.*, greatest(0, least(100, round(case when s.nhs then 100 when s.upn then 95
          else 100 * (0.55 * s.name_score + 0.35 * s.dob_score
            + 0.10 * greatest(s.postcode_match::int, s.address_match::int)) end)))::int as score
      from scored s
    )
    select r.id, r.score, r.nhs, r.upn, r.exact_name, r.name_score, r.dob_score = 1 as dob,
      r.postcode_match, r.address_match,
      ${personVisible(actor, now, "p")} as visible,
      p.given_name, p.family_name, p.date_of_birth,
      (select a.postcode from address a where a.id = ${currentAddress}) as postcode,
      (select string_agg(u.display_name || ', ' || t.name, '; ' order by al.start_date)
        from allocation al join app_user u on u.id = al.worker_id join team t on t.id = al.team_id
        where al.person_id = p.id and (al.end_date is null or al.end_date > ${today})) as allocated
    from ranked r join person p on p.id = r.id
    where r.score >= ${CANDIDATE_THRESHOLD}
    order by r.score desc, p.family_name, p.given_name
    limit ${CANDIDATE_LIMIT}`.execute(db);
  return rows.rows.map((row): PersonCandidate => {
    const reasons: MatchReason[] = [];
    if (row.nhs) reasons.push("nhs_number");
    if (row.upn) reasons.push("upn");
    if (row.exact_name) reasons.push("name");
    else if (row.name_score >= 0.3) reasons.push("similar_name");
    if (row.dob) reasons.push("date_of_birth");
    if (row.postcode_match) reasons.push("postcode");
    if (row.address_match) reasons.push("address");
    if (!row.visible) return { visible: false, id: row.id, score: row.score, reasons };
    return {
      visible: true,
      id: row.id,
      score: row.score,
      reasons,
      givenName: row.given_name,
      familyName: row.family_name,
      dateOfBirth: row.date_of_birth,
      postcode: row.postcode,
      allocated: row.allocated,
    };
  });
}
