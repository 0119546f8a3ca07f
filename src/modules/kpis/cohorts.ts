import { sql, type RawBuilder } from "kysely";

/**
 * The SQL behind each measure in src/domain/kpis/measures.ts, keyed alike. Each cohort is a
 * set of rows, one per thing counted:
 *   person_id  the child the row is about (the drill-down lists these children)
 *   on_date    the date that puts the row in a month of the period
 *   num_key    counted (distinct) in the numerator when not null
 *   den_key    counted (distinct) in the denominator when not null
 *   team_id, worker_id  who held the work, when the cohort itself knows (caseloads); else
 *              the engine finds the child's allocation on `on_date`
 * Every query is set-based over the whole period, one statement per measure.
 *
 * A key is counted once however many rows carry it. Most cohorts give each key one row in a
 * month by construction (a record's id, or a record's id with a month end, or a child at a
 * month end taken `distinct on`), so the engine counts them without the sort that
 * count(distinct) costs; `repeatedKeys` names the keys that can repeat, which it counts
 * distinct (decision 0036). engine-breakdowns.test.ts checks both on the test world.
 */
export interface CohortParams {
  laId: string;
  /** The first day of the first month. */
  from: string;
  /** The last day of the last month. */
  to: string;
  /** Today in England: a month-end measure for this month is taken today. */
  today: string;
}

type Cohort = (p: CohortParams) => RawBuilder<unknown>;

/**
 * Month ends in the period (today for the current month): for "on the last day" measures.
 * A list of values, not generate_series, so that the planner knows there are only a few.
 */
const monthEnds = (p: CohortParams) => {
  const ends: string[] = [];
  for (let d = new Date(`${p.from.slice(0, 7)}-01T00:00:00Z`); d.toISOString() <= p.to;) {
    const next = new Date(d);
    next.setUTCMonth(next.getUTCMonth() + 1);
    const end = new Date(next.getTime() - 86_400_000).toISOString().slice(0, 10);
    ends.push(end < p.today ? end : p.today);
    // Months after today's would all take today again: they have no month end yet.
    if (end >= p.today) break;
    d = next;
  }
  return sql`select v.on_date::date as on_date from (values ${sql.join(
    ends.map((e) => sql`(${e})`),
  )}) v(on_date)`;
};

const inPeriod = (column: RawBuilder<unknown>, p: CohortParams) =>
  sql`${column} between ${p.from}::date and ${p.to}::date`;

/**
 * Still open when the period began: implied by "open at a month end", but stated so that the
 * planner can use the (la_id, end) index and skip the years of items closed long before.
 */
const openAfter = (end: RawBuilder<unknown>, p: CohortParams, op: ">" | ">=") =>
  sql`(${end} is null or ${end} ${sql.raw(op)} ${p.from}::date)`;

const nothing = sql`null::uuid as team_id, null::uuid as worker_id`;

/** Assessments authorised in the period whose factors include any of these codes. */
const assessmentFactor =
  (codes: readonly string[]): Cohort =>
  (p) => sql`select a.person_id, a.authorised_on as on_date,
      case when a.factors && ${sql.val(codes)}::text[] then a.id::text end as num_key,
      a.id::text as den_key, ${nothing}
    from assessment a where a.la_id = ${p.laId} and ${inPeriod(sql.ref("a.authorised_on"), p)}`;

/** Children in an open period of care on each month end. */
const lookedAfterAtMonthEnd = (p: CohortParams) => sql`select distinct on (e.person_id, m.on_date)
      e.person_id, m.on_date, e.person_id::text as num_key, null::text as den_key, ${nothing}
    from (${monthEnds(p)}) m
    join cla_episode e on e.la_id = ${p.laId} and e.start_date <= m.on_date
      and (e.end_date is null or e.end_date >= m.on_date)
      and ${openAfter(sql.ref("e.end_date"), p, ">=")}`;

/** Children on a plan (CP plan, or looked after) at a month end, visited in `days` before. */
const visitedInTime = (plans: RawBuilder<unknown>, planType: "cp" | "cla", days: number) =>
  sql`select m.person_id, m.on_date,
      case when exists (select 1 from visit v where v.person_id = m.person_id
        and v.plan_type = ${planType} and v.seen
        and v.visited_on between m.on_date - ${days}::int and m.on_date)
      then m.person_id::text || m.on_date end as num_key,
      m.person_id::text || m.on_date as den_key, ${nothing}
    from (${plans}) m`;

const onCpPlanAtMonthEnd = (p: CohortParams) => sql`select distinct on (c.person_id, m.on_date)
      c.person_id, m.on_date from (${monthEnds(p)}) m
    join cp_plan c on c.la_id = ${p.laId} and c.start_date <= m.on_date
      and (c.end_date is null or c.end_date >= m.on_date)
      and ${openAfter(sql.ref("c.end_date"), p, ">=")}`;

// SSDA903 reasons ceased for a return home or to relatives (src/domain/ssda903.ts).
const returnedHomeReasons = ["E4A", "E4B", "E13", "E47"];

export const cohorts: Record<string, Cohort> = {
  re_referrals: (p) => sql`select r.person_id, r.referral_date as on_date,
      case when exists (select 1 from referral e where e.person_id = r.person_id
        and e.id <> r.id and e.referral_date < r.referral_date
        and e.referral_date >= r.referral_date - interval '12 months') then r.id::text end as num_key,
      r.id::text as den_key, ${nothing}
    from referral r where r.la_id = ${p.laId} and ${inPeriod(sql.ref("r.referral_date"), p)}`,

  contact_conversion: (p) => sql`select cc.person_id, c.received_on as on_date,
      case when cc.referral_id is not null then c.id::text || cc.person_id end as num_key,
      c.id::text || cc.person_id as den_key, ${nothing}
    from contact c join contact_child cc on cc.contact_id = c.id
    where c.la_id = ${p.laId} and ${inPeriod(sql.ref("c.received_on"), p)}`,

  contacts_decided_in_time: (p) => sql`select cc.person_id, c.decided_on as on_date,
      case when c.decided_on <= c.decision_due_on then c.id::text || cc.person_id end as num_key,
      c.id::text || cc.person_id as den_key, ${nothing}
    from contact c join contact_child cc on cc.contact_id = c.id
    where c.la_id = ${p.laId} and ${inPeriod(sql.ref("c.decided_on"), p)}`,

  assessments_in_45_days: (p) => sql`select a.person_id, a.submitted_on as on_date,
      case when a.submitted_on <= a.due_on then a.id::text end as num_key,
      a.id::text as den_key, ${nothing}
    from assessment a where a.la_id = ${p.laId} and ${inPeriod(sql.ref("a.submitted_on"), p)}`,

  assessments_nfa: (p) => sql`select a.person_id, a.authorised_on as on_date,
      case when a.outcome = 'no_further_action' then a.id::text end as num_key,
      a.id::text as den_key, ${nothing}
    from assessment a where a.la_id = ${p.laId} and ${inPeriod(sql.ref("a.authorised_on"), p)}`,

  parental_substance_misuse: assessmentFactor(["1B", "2B"]),
  parental_mental_health: assessmentFactor(["4B"]),
  domestic_abuse: assessmentFactor(["3B"]),

  children_in_need: (p) => sql`select distinct on (r.person_id, m.on_date)
      r.person_id, m.on_date, r.person_id::text as num_key, null::text as den_key, ${nothing}
    from (${monthEnds(p)}) m join referral r on r.la_id = ${p.laId}
      and r.referral_date <= m.on_date and (r.closed_on is null or r.closed_on > m.on_date)
      and ${openAfter(sql.ref("r.closed_on"), p, ">")}`,

  abuse_or_neglect_need: (p) => sql`select r.person_id, m.on_date,
      case when r.primary_need = 'N1' then r.id::text || m.on_date end as num_key,
      r.id::text || m.on_date as den_key, ${nothing}
    from (${monthEnds(p)}) m join referral r on r.la_id = ${p.laId}
      and r.referral_date <= m.on_date and (r.closed_on is null or r.closed_on > m.on_date)
      and ${openAfter(sql.ref("r.closed_on"), p, ">")}`,

  strategy_all_partners: (p) => sql`select s.person_id, s.held_on as on_date,
      case when (select count(distinct sa.agency_kind) from strategy_attendee sa
        where sa.strategy_discussion_id = s.id
          and sa.agency_kind in ('la_childrens_services', 'police', 'health')) = 3
      then s.id::text end as num_key,
      s.id::text as den_key, ${nothing}
    from strategy_discussion s where s.la_id = ${p.laId} and ${inPeriod(sql.ref("s.held_on"), p)}`,

  s47_rate: (p) => sql`select s.person_id, s.started_on as on_date, s.id::text as num_key,
      null::text as den_key, ${nothing}
    from s47_enquiry s where s.la_id = ${p.laId} and ${inPeriod(sql.ref("s.started_on"), p)}`,

  icpc_in_15_days: (p) => sql`select c.person_id, c.held_on as on_date,
      case when c.held_on <= c.due_on then c.id::text end as num_key,
      c.id::text as den_key, ${nothing}
    from cp_conference c where c.la_id = ${p.laId} and c.kind = 'initial'
      and ${inPeriod(sql.ref("c.held_on"), p)}`,

  cp_plans_2_years: (p) => sql`select c.person_id, c.end_date as on_date,
      case when c.end_date >= c.start_date + interval '2 years' then c.id::text end as num_key,
      c.id::text as den_key, ${nothing}
    from cp_plan c where c.la_id = ${p.laId} and ${inPeriod(sql.ref("c.end_date"), p)}`,

  cp_plans_repeat: (p) => sql`select c.person_id, c.start_date as on_date,
      case when exists (select 1 from cp_plan e where e.person_id = c.person_id
        and e.id <> c.id and e.start_date < c.start_date) then c.id::text end as num_key,
      c.id::text as den_key, ${nothing}
    from cp_plan c where c.la_id = ${p.laId} and ${inPeriod(sql.ref("c.start_date"), p)}`,

  cp_plans_repeat_2_years: (p) => sql`select c.person_id, c.start_date as on_date,
      case when exists (select 1 from cp_plan e where e.person_id = c.person_id
        and e.id <> c.id and e.end_date <= c.start_date
        and e.end_date >= c.start_date - interval '2 years') then c.id::text end as num_key,
      c.id::text as den_key, ${nothing}
    from cp_plan c where c.la_id = ${p.laId} and ${inPeriod(sql.ref("c.start_date"), p)}`,

  // Ten working days, taken as 14 calendar days (two working weeks; decision 0033).
  cp_visits_in_time: (p) => visitedInTime(onCpPlanAtMonthEnd(p), "cp", 14),

  looked_after_rate: lookedAfterAtMonthEnd,
  looked_after: lookedAfterAtMonthEnd,

  entries_to_care: (p) => sql`select e.person_id, e.start_date as on_date, e.id::text as num_key,
      null::text as den_key, ${nothing}
    from cla_episode e where e.la_id = ${p.laId} and e.reason_new_episode = 'S'
      and ${inPeriod(sql.ref("e.start_date"), p)}`,

  // An episode ending X1 is a change within the same period of care, not leaving care.
  returned_home: (p) => sql`select e.person_id, e.end_date as on_date,
      case when e.reason_ceased = any(${sql.val(returnedHomeReasons)}::text[]) then e.id::text end
        as num_key,
      e.id::text as den_key, ${nothing}
    from cla_episode e where e.la_id = ${p.laId} and e.reason_ceased <> 'X1'
      and ${inPeriod(sql.ref("e.end_date"), p)}`,

  cla_visits_in_time: (p) =>
    visitedInTime(sql`select person_id, on_date from (${lookedAfterAtMonthEnd(p)}) l`, "cla", 42),

  missing_episodes: (p) => sql`select m.person_id, (m.started_at at time zone 'Europe/London')::date
        as on_date, m.id::text as num_key, null::text as den_key, ${nothing}
    from missing_episode m where m.la_id = ${p.laId}
      and ${inPeriod(sql`(m.started_at at time zone 'Europe/London')::date`, p)}`,

  missing_per_child: (
    p,
  ) => sql`select m.person_id, (m.started_at at time zone 'Europe/London')::date
        as on_date, m.id::text as num_key,
        m.person_id::text || to_char(m.started_at at time zone 'Europe/London', 'YYYY-MM')
          as den_key, ${nothing}
    from missing_episode m where m.la_id = ${p.laId}
      and ${inPeriod(sql`(m.started_at at time zone 'Europe/London')::date`, p)}`,

  return_interviews_72h: (
    p,
  ) => sql`select m.person_id, (m.ended_at at time zone 'Europe/London')::date
        as on_date,
      case when m.interview_held_at <= m.ended_at + interval '72 hours' then m.id::text end
        as num_key,
      m.id::text as den_key, ${nothing}
    from missing_episode m where m.la_id = ${p.laId} and m.ended_at is not null
      and ${inPeriod(sql`(m.ended_at at time zone 'Europe/London')::date`, p)}`,

  caseload_per_worker: (p) => sql`select a.person_id, m.on_date,
      a.id::text || m.on_date as num_key, a.worker_id::text || m.on_date as den_key,
      a.team_id, a.worker_id
    from (${monthEnds(p)}) m join allocation a on a.la_id = ${p.laId}
      and a.start_date <= m.on_date and (a.end_date is null or a.end_date > m.on_date)
      and ${openAfter(sql.ref("a.end_date"), p, ">")}`,

  worker_changes: (p) => sql`select a.person_id, a.end_date as on_date, a.id::text as num_key,
      null::text as den_key, a.team_id, a.worker_id
    from allocation a where a.la_id = ${p.laId} and a.end_kind = 'reallocated'
      and ${inPeriod(sql.ref("a.end_date"), p)}`,
};

/**
 * The keys that can appear on several rows of a month, so must be counted distinct: a
 * worker's caseload denominator (the worker at a month end, once per child held) and a
 * child's missing episodes in a month (the child, once per episode).
 */
export const repeatedKeys: Record<string, { numerator?: true; denominator?: true }> = {
  caseload_per_worker: { denominator: true },
  missing_per_child: { denominator: true },
};
