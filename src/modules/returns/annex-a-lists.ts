import { sql, type RawBuilder } from "kysely";
import type { AnnexAListName } from "../../domain/annex-a/spec.ts";
import {
  allocatedJoin,
  byEnd,
  childColumns,
  liveChild,
  overlaps,
  type ListParams,
} from "./annex-a-sql.ts";

/**
 * Where each of Ofsted's columns comes from: a field of the list's query, or a marker for data
 * Trellis does not hold (decision 0032): `NOT_HELD` leaves the cell blank, `NOT_HELD_UNKNOWN`
 * answers a yes/no/unknown column "Unknown", which is what Trellis knows.
 */
export const NOT_HELD = "-";
export const NOT_HELD_UNKNOWN = "?";

export interface AnnexAListQuery {
  list: AnnexAListName;
  /** The sheet's name: "List 3 Referrals". */
  title: string;
  /** Ofsted's column heading -> the query's field (or a not-held marker), in Ofsted's order. */
  columns: Record<string, string>;
  /** When Trellis holds none of the list, why; the sheet says so instead of rows. */
  notHeld?: string;
  query?(q: ListParams): RawBuilder<Record<string, unknown>>;
}

const child = {
  "Child Unique ID": "person_id",
  Gender: "sex",
  Ethnicity: "ethnicity",
  "Date of Birth": "date_of_birth",
  "Age of Child (Years)": "age",
};
const disability = { "Does the Child have a Disability": "disabled" };
const allocated = { "Allocated Team": "team", "Allocated Worker": "worker" };

/** List 1: each contact about a child received in the period. */
const contacts: AnnexAListQuery = {
  list: "List 1",
  title: "List 1 Contacts",
  columns: { ...child, "Date of Contact": "received_on", "Contact Source": "source" },
  query: (q) => sql`select ${childColumns(q)}, c.received_on, c.source
    from contact c
    join contact_child cc on cc.contact_id = c.id
    join person p on p.id = cc.person_id
    where c.la_id = ${q.laId} and ${liveChild(q)}
      and c.received_on between ${q.from}::date and ${q.to}::date
    order by c.received_on, p.id`,
};

/** List 2: early help open at some time in the period; the council's service assessed. */
const earlyHelp: AnnexAListQuery = {
  list: "List 2",
  title: "List 2 Early help",
  columns: {
    ...child,
    "Assessment start date": "start_date",
    "Assessment completion date": NOT_HELD,
    "Organisation completing assessment": "organisation",
  },
  query: (q) => sql`select ${childColumns(q)}, e.start_date, o.name as organisation
    from early_help_episode e
    join person p on p.id = e.person_id
    join app_user u on u.id = e.recorded_by
    join organisation o on o.id = u.organisation_id
    where e.la_id = ${q.laId} and ${liveChild(q)} and ${overlaps(q, "e.start_date", "e.end_date")}
    order by e.start_date, p.id`,
};

/** List 3: each referral in the period. NFA: closed with no assessment or strategy discussion. */
const referrals: AnnexAListQuery = {
  list: "List 3",
  title: "List 3 Referrals",
  columns: {
    ...child,
    "Date of referral": "referral_date",
    "Referral Source": "source",
    "Referral NFA?": "nfa",
    "Number of Referrals in Last 12 Months": "referrals_12m",
    ...allocated,
  },
  query: (q) => sql`select ${childColumns(q)}, r.referral_date, r.source,
      (r.closed_on is not null and r.closed_on <= ${q.to}::date
        and not exists (select 1 from assessment a where a.referral_id = r.id)
        and not exists (select 1 from strategy_discussion s where s.referral_id = r.id)) as nfa,
      (select count(*)::int from referral r2 where r2.person_id = r.person_id
        and r2.referral_date > ${q.from12}::date and r2.referral_date <= ${q.to}::date)
        as referrals_12m,
      alloc.team, alloc.worker
    from referral r
    join person p on p.id = r.person_id
    ${allocatedJoin(q)}
    where r.la_id = ${q.laId} and ${liveChild(q)}
      and r.referral_date between ${q.from}::date and ${q.to}::date
    order by r.referral_date, p.id`,
};

/** List 4: child and family assessments open at some time in the period. */
const assessments: AnnexAListQuery = {
  list: "List 4",
  title: "List 4 Assessments",
  columns: {
    ...child,
    ...disability,
    "Continuous Assessment Start Date": "started_on",
    "Child Seen During Continuous Assessment": "seen",
    "Continuous Assessment Date of Authorisation": "authorised_on",
    "Was the child assessed as requiring LA children's social care support?": "needs_support",
    ...allocated,
  },
  query: (q) => sql`select ${childColumns(q)}, a.started_on,
      exists (select 1 from visit v where v.person_id = a.person_id and v.seen
        and v.visited_on between a.started_on and coalesce(a.authorised_on, ${q.to}::date))
        as seen,
      ${byEnd(q, "a.authorised_on")} as authorised_on,
      case when a.authorised_on > ${q.to}::date then null
        when a.outcome in ('cin_plan', 'strategy_discussion', 'looked_after') then true
        when a.outcome in ('no_further_action', 'early_help') then false end as needs_support,
      alloc.team, alloc.worker
    from assessment a
    join person p on p.id = a.person_id
    ${allocatedJoin(q)}
    where a.la_id = ${q.laId} and ${liveChild(q)}
      and ${overlaps(q, "a.started_on", "a.authorised_on")}
    order by a.started_on, p.id`,
};

/** List 5: section 47 enquiries open at some time in the period, with their ICPC. */
const section47s: AnnexAListQuery = {
  list: "List 5",
  title: "List 5 Section 47",
  columns: {
    ...child,
    ...disability,
    "Strategy discussion initiating Section 47 Enquiry Start Date": "strategy_on",
    "Was an Initial Child Protection Conference deemed unnecessary?": "icpc_unnecessary",
    "Date of Initial Child Protection Conference": "icpc_on",
    "Did the Initial Child Protection Conference Result in a Child Protection Plan": "icpc_plan",
    "Number of Section 47 Enquiries in the last 12 months": "s47s_12m",
    "Number of ICPCs in the last 12 months": "icpcs_12m",
    ...allocated,
  },
  query: (q) => sql`select ${childColumns(q)}, sd.held_on as strategy_on,
      case when s.completed_on > ${q.to}::date then null
        when s.outcome = 'no_icpc' then true when s.outcome = 'icpc' then false end
        as icpc_unnecessary,
      ${byEnd(q, "ic.held_on")} as icpc_on,
      case when ic.held_on > ${q.to}::date then null
        when ic.decision = 'plan' then true when ic.decision = 'no_plan' then false end
        as icpc_plan,
      (select count(*)::int from s47_enquiry s2 where s2.person_id = s.person_id
        and s2.started_on > ${q.from12}::date and s2.started_on <= ${q.to}::date) as s47s_12m,
      (select count(*)::int from cp_conference c2 where c2.person_id = s.person_id
        and c2.kind = 'initial'
        and c2.held_on > ${q.from12}::date and c2.held_on <= ${q.to}::date) as icpcs_12m,
      alloc.team, alloc.worker
    from s47_enquiry s
    join strategy_discussion sd on sd.id = s.strategy_discussion_id
    join person p on p.id = s.person_id
    left join cp_conference ic on ic.s47_enquiry_id = s.id and ic.kind = 'initial'
    ${allocatedJoin(q)}
    where s.la_id = ${q.laId} and ${liveChild(q)}
      and ${overlaps(q, "s.started_on", "s.completed_on")}
    order by sd.held_on, p.id`,
};

/** List 6: each episode of need open at some time in the period, and what it is now. */
const childrenInNeed: AnnexAListQuery = {
  list: "List 6",
  title: "List 6 Children in need",
  columns: {
    ...child,
    ...disability,
    "CIN Start Date": "referral_date",
    "Primary Need Code": "primary_need",
    "Date Child Was Last Seen": "last_seen",
    "CIN Closure Date": "closed_on",
    "Reason for Closure": "closure_reason",
    "Case Status": "case_status",
    ...allocated,
  },
  query: (q) => sql`select ${childColumns(q)}, r.referral_date, r.primary_need,
      (select max(v.visited_on) from visit v where v.person_id = r.person_id and v.seen
        and v.visited_on between r.referral_date and ${q.to}::date) as last_seen,
      ${byEnd(q, "r.closed_on")} as closed_on,
      case when r.closed_on <= ${q.to}::date then r.closure_reason end as closure_reason,
      case when r.closed_on <= ${q.to}::date then 'Closed'
        when exists (select 1 from cla_episode e where e.person_id = r.person_id
          and e.start_date <= ${q.to}::date and (e.end_date is null or e.end_date > ${q.to}::date))
          then 'Looked after'
        when exists (select 1 from cp_plan c where c.person_id = r.person_id
          and c.start_date <= ${q.to}::date and (c.end_date is null or c.end_date > ${q.to}::date))
          then 'Child protection plan'
        when exists (select 1 from cin_plan c where c.person_id = r.person_id
          and c.start_date <= ${q.to}::date and (c.end_date is null or c.end_date > ${q.to}::date))
          then 'Child in need plan'
        else 'Open, no plan' end as case_status,
      alloc.team, alloc.worker
    from referral r
    join person p on p.id = r.person_id
    ${allocatedJoin(q)}
    where r.la_id = ${q.laId} and ${liveChild(q)}
      and ${overlaps(q, "r.referral_date", "r.closed_on")}
    order by r.referral_date, p.id`,
};

/** List 7: child protection plans open at some time in the period. */
const protectionPlans: AnnexAListQuery = {
  list: "List 7",
  title: "List 7 Child protection",
  columns: {
    ...child,
    ...disability,
    "Child Protection Plan Start Date": "start_date",
    "Initial Category of Abuse": "initial_category",
    "Latest Category of Abuse": "latest_category",
    "Date of the Last Statutory Visit": "last_visit",
    "Was the Child Seen Alone?": "seen_alone",
    "Date of latest review conference": "last_review",
    "Child Protection Plan End Date": "end_date",
    "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)":
      NOT_HELD_UNKNOWN,
    "Number of Previous Child Protection Plans": "previous_plans",
    ...allocated,
  },
  query: (q) => sql`select ${childColumns(q)}, c.start_date, c.initial_category,
      c.latest_category, lv.visited_on as last_visit, lv.seen_alone,
      (select max(r.held_on) from cp_conference r where r.cp_plan_id = c.id
        and r.kind = 'review' and r.held_on <= ${q.to}::date) as last_review,
      ${byEnd(q, "c.end_date")} as end_date,
      (select count(*)::int from cp_plan o where o.person_id = c.person_id
        and o.start_date < c.start_date) as previous_plans,
      alloc.team, alloc.worker
    from cp_plan c
    join person p on p.id = c.person_id
    left join lateral (
      select v.visited_on, v.seen_alone from visit v
      where v.person_id = c.person_id and v.plan_type = 'cp' and v.visited_on >= c.start_date
        and v.visited_on <= least(coalesce(c.end_date, ${q.to}::date), ${q.to}::date)
      order by v.visited_on desc limit 1
    ) lv on true
    ${allocatedJoin(q)}
    where c.la_id = ${q.laId} and ${liveChild(q)} and ${overlaps(q, "c.start_date", "c.end_date")}
    order by c.start_date, p.id`,
};

export const annexAListsToProtection = [
  contacts,
  earlyHelp,
  referrals,
  assessments,
  section47s,
  childrenInNeed,
  protectionPlans,
];
