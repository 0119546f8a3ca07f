/**
 * The CIN census for a collection year built from the council's records (issue 12, decision
 * 0031). In scope, as the DfE's guide says: every child with an episode of need (a referral)
 * open at any point in the census period, 1 April to the reference date 31 March, unborn
 * children included; each such episode is one CINdetails. Within an episode go the assessments,
 * CIN plans, S47 enquiries and CP plans open at some point in the period, and the CP reviews
 * held in it. A closure after the reference date is not yet known to the return.
 *
 * Set-based: the episodes (referrals) open at some point in the period, then one query per
 * table by their ids, assembled in memory: a handful of queries rather than one per child.
 */
import { sql } from "kysely";
import {
  censusPeriod,
  type CinCensus,
  type CinChild,
  type CinDetails,
  type CollectionYear,
} from "../../domain/cin-census/model.ts";
import type { Db } from "../../platform/database.ts";

/** The stored gender code as the rules' Sex (decision 0027): unknown and unborn are U. */
const sexOf: Record<string, string> = { "1": "M", "2": "F" };

export interface GeneratedCensus {
  census: CinCensus;
  /** LA child id to person id, so each failure can name and link to its child. */
  personByChildId: Map<string, string>;
}

interface Scope {
  laId: string;
  start: string;
  referenceDate: string;
}

/** `date` column as text (the driver may give a string or a Date). */
const day = (value: unknown): string | undefined => {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return typeof value === "string" ? value.slice(0, 10) : undefined;
};

/** An item open at some point in the period: started by its end, not ended before its start. */
const openIn = (s: Scope, started?: string, ended?: string): boolean =>
  started !== undefined && started <= s.referenceDate && (ended === undefined || ended >= s.start);

/** An end date after the reference date is not yet known to this year's return. */
const knownBy = (s: Scope, date?: string): string | undefined =>
  date !== undefined && date <= s.referenceDate ? date : undefined;

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}

/**
 * The episodes in scope are found once; every other table is then read by their ids (and
 * their children's), so no statement repeats the scope's scan of the council's referrals.
 */
async function loadRecords(db: Db, s: Scope) {
  const referrals = await db
    .selectFrom("referral as r")
    .innerJoin("person as p", "p.id", "r.person_id")
    .select([
      "r.id",
      "r.person_id",
      "r.referral_date",
      "r.source",
      "r.primary_need",
      "r.closed_on",
      "r.closure_reason",
    ])
    .where("r.la_id", "=", s.laId)
    .where("p.merged_into", "is", null)
    .where("r.referral_date", "<=", s.referenceDate)
    .where((eb) => eb.or([eb("r.closed_on", "is", null), eb("r.closed_on", ">=", s.start)]))
    .orderBy("r.referral_date")
    .execute();
  const referralIds = sql`${sql.val(referrals.map((r) => r.id))}::uuid[]`;
  const personIds = sql`${sql.val([...new Set(referrals.map((r) => r.person_id))])}::uuid[]`;
  const inScope = sql<boolean>`referral_id = any(${referralIds})`;
  const ofChildren = sql<boolean>`person_id = any(${personIds})`;
  const [people, assessments, cinPlans, s47s, initials, plans, reviews, disabilities] =
    await Promise.all([
      db
        .selectFrom("person as p")
        .select([
          "p.id",
          "p.la_child_id",
          "p.upn",
          "p.former_upn",
          "p.upn_unknown",
          "p.date_of_birth",
          "p.expected_birth_date",
          "p.date_of_death",
          "p.sex",
          "p.ethnicity",
        ])
        .where(sql<boolean>`p.id = any(${personIds})`)
        .orderBy("p.la_child_id")
        .execute(),
      db
        .selectFrom("assessment")
        .select(["referral_id", "started_on", "authorised_on", "factors"])
        .where(inScope)
        .orderBy("started_on")
        .execute(),
      db
        .selectFrom("cin_plan")
        .select(["referral_id", "start_date", "end_date"])
        .where(inScope)
        .orderBy("start_date")
        .execute(),
      db
        .selectFrom("s47_enquiry")
        .select(["id", "referral_id", "started_on", "icpc_due_on", "outcome"])
        .where(inScope)
        .orderBy("started_on")
        .execute(),
      db
        .selectFrom("cp_conference")
        .select(["referral_id", "s47_enquiry_id", "held_on"])
        .where("kind", "=", "initial")
        .where(inScope)
        .orderBy("held_on")
        .execute(),
      db
        .selectFrom("cp_plan")
        .select([
          "id",
          "referral_id",
          "person_id",
          "start_date",
          "end_date",
          "initial_category",
          "latest_category",
        ])
        .where(ofChildren)
        .orderBy("start_date")
        .execute(),
      db
        .selectFrom("cp_conference")
        .select(["cp_plan_id", "held_on"])
        .where("kind", "=", "review")
        .where(inScope)
        .where("held_on", ">=", s.start)
        .where("held_on", "<=", s.referenceDate)
        .orderBy("held_on")
        .execute(),
      db
        .selectFrom("person_disability")
        .select(["person_id", "code"])
        .where(ofChildren)
        .orderBy("code")
        .execute(),
    ]);
  return { people, referrals, assessments, cinPlans, s47s, initials, plans, reviews, disabilities };
}

type Records = Awaited<ReturnType<typeof loadRecords>>;

function episodeOf(s: Scope, r: Records["referrals"][number], by: Indexes): CinDetails {
  const closed = knownBy(s, day(r.closed_on));
  const assessments = (by.assessments.get(r.id) ?? []).filter((a) =>
    openIn(s, day(a.started_on), day(a.authorised_on)),
  );
  const cinPlans = (by.cinPlans.get(r.id) ?? []).filter((p) =>
    openIn(s, day(p.start_date), day(p.end_date)),
  );
  // An ICPC in the period goes with its S47 when that S47 is reported, else on the episode
  // (rules 2884, 8715: recorded once, and within the census year).
  const initials = (by.initials.get(r.id) ?? []).filter((c) => {
    const held = day(c.held_on) ?? "";
    return held >= s.start && held <= s.referenceDate;
  });
  // An S47 started in the period, or one started before it whose ICPC was held in it.
  const s47s = (by.s47s.get(r.id) ?? []).filter((e) => {
    const started = day(e.started_on) ?? "";
    if (started > s.referenceDate) return false;
    return started >= s.start || initials.some((c) => c.s47_enquiry_id === e.id);
  });
  const allPlans = by.plans.get(r.person_id) ?? [];
  const plans = allPlans.filter(
    (p) => p.referral_id === r.id && openIn(s, day(p.start_date), day(p.end_date)),
  );
  // ReferralNFA: the referral was closed with nothing done under it (decision 0031).
  const nfa =
    closed !== undefined &&
    (by.assessments.get(r.id) ?? []).length === 0 &&
    (by.s47s.get(r.id) ?? []).length === 0 &&
    (by.cinPlans.get(r.id) ?? []).length === 0 &&
    plans.length === 0;
  const reportedS47 = new Set(s47s.map((e) => e.id));
  const icpc = initials.filter((c) => !reportedS47.has(c.s47_enquiry_id ?? "")).at(-1);
  return {
    CINreferralDate: day(r.referral_date),
    ReferralSource: r.source,
    ...(r.primary_need ? { PrimaryNeedCode: r.primary_need } : {}),
    ...(closed ? { CINclosureDate: closed } : {}),
    ...(closed && r.closure_reason ? { ReasonForClosure: r.closure_reason } : {}),
    ...(icpc ? { DateOfInitialCPC: day(icpc.held_on) } : {}),
    ReferralNFA: nfa ? "true" : "false",
    Assessments: assessments.map((a) => {
      const authorised = knownBy(s, day(a.authorised_on));
      return {
        AssessmentActualStartDate: day(a.started_on),
        ...(authorised ? { AssessmentAuthorisationDate: authorised } : {}),
        ...(authorised && a.factors.length > 0 ? { AssessmentFactors: [...a.factors] } : {}),
      };
    }),
    CINPlanDates: cinPlans.map((p) => {
      const ended = knownBy(s, day(p.end_date));
      return { CINPlanStartDate: day(p.start_date), ...(ended ? { CINPlanEndDate: ended } : {}) };
    }),
    Section47: s47s.map((e) => {
      const held = initials.find((c) => c.s47_enquiry_id === e.id);
      return {
        S47ActualStartDate: day(e.started_on),
        InitialCPCtarget: day(e.icpc_due_on),
        ...(held ? { DateOfInitialCPC: day(held.held_on) } : {}),
        ICPCnotRequired: e.outcome === "no_icpc" ? "true" : "false",
      };
    }),
    ChildProtectionPlans: plans.map((p) => {
      const started = day(p.start_date) ?? "";
      const ended = knownBy(s, day(p.end_date));
      // The schema's positiveInteger: this plan counts, so a first plan is 1 (decision 0031).
      const ordinal = allPlans.filter((q) => (day(q.start_date) ?? "") <= started).length;
      const reviews = (by.reviews.get(p.id) ?? []).map((c) => day(c.held_on) ?? "");
      return {
        CPPstartDate: started,
        ...(ended ? { CPPendDate: ended } : {}),
        InitialCategoryOfAbuse: p.initial_category,
        LatestCategoryOfAbuse: p.latest_category,
        NumberOfPreviousCPP: String(ordinal),
        ...(reviews.length > 0 ? { CPPreviewDate: reviews } : {}),
      };
    }),
  };
}

function indexes(records: Records) {
  return {
    referrals: groupBy(records.referrals, (r) => r.person_id),
    assessments: groupBy(records.assessments, (a) => a.referral_id),
    cinPlans: groupBy(records.cinPlans, (p) => p.referral_id),
    s47s: groupBy(records.s47s, (e) => e.referral_id),
    initials: groupBy(records.initials, (c) => c.referral_id),
    plans: groupBy(records.plans, (p) => p.person_id),
    reviews: groupBy(records.reviews, (c) => c.cp_plan_id ?? ""),
    disabilities: groupBy(records.disabilities, (d) => d.person_id),
  };
}
type Indexes = ReturnType<typeof indexes>;

/** The census header: the collection's year is the year the period ends. */
function headerFor(year: CollectionYear, laCode: string, now: Date) {
  const { referenceDate } = censusPeriod(year);
  return {
    Collection: "CIN",
    Year: referenceDate.slice(0, 4),
    ReferenceDate: referenceDate,
    LEA: laCode,
    SoftwareCode: "Trellis",
    Release: "1",
    SerialNo: "001",
    DateTime: now.toISOString().slice(0, 19),
  };
}

export async function generateCinCensus(
  db: Db,
  laId: string,
  year: CollectionYear,
  now: Date,
): Promise<GeneratedCensus> {
  const scope: Scope = { laId, ...censusPeriod(year) };
  const la = await db
    .selectFrom("local_authority")
    .select("code")
    .where("id", "=", laId)
    .executeTakeFirstOrThrow();
  const records = await loadRecords(db, scope);
  const by = indexes(records);
  const personByChildId = new Map<string, string>();
  const children: CinChild[] = records.people.map((p) => {
    personByChildId.set(p.la_child_id, p.id);
    const born = day(p.date_of_birth);
    const disabilities = (by.disabilities.get(p.id) ?? []).map((d) => d.code);
    return {
      ChildIdentifiers: {
        LAchildID: p.la_child_id,
        ...(p.upn ? { UPN: p.upn } : {}),
        ...(p.former_upn ? { FormerUPN: p.former_upn } : {}),
        ...(!p.upn && p.upn_unknown ? { UPNunknown: p.upn_unknown } : {}),
        ...(born ? { PersonBirthDate: born } : {}),
        ...(!born && p.expected_birth_date
          ? { ExpectedPersonBirthDate: day(p.expected_birth_date) }
          : {}),
        Sex: born ? (sexOf[p.sex ?? ""] ?? "U") : "U",
        ...(knownBy(scope, day(p.date_of_death)) ? { PersonDeathDate: day(p.date_of_death) } : {}),
      },
      ChildCharacteristics: {
        ...(p.ethnicity ? { Ethnicity: p.ethnicity } : {}),
        ...(disabilities.length > 0 ? { Disabilities: disabilities } : {}),
      },
      CINdetails: (by.referrals.get(p.id) ?? []).map((r) => episodeOf(scope, r, by)),
    };
  });
  return { census: { header: headerFor(year, la.code, now), children }, personByChildId };
}
