import { sql } from "kysely";
import { allocatedJoin, childColumns, liveChild, type ListParams } from "./annex-a-sql.ts";
import { NOT_HELD, NOT_HELD_UNKNOWN, type AnnexAListQuery } from "./annex-a-lists.ts";

const child = {
  "Child Unique ID": "person_id",
  Gender: "sex",
  Ethnicity: "ethnicity",
  "Date of Birth": "date_of_birth",
  "Age of Child (Years)": "age",
};

// SSDA903 reasons for a new episode (RNE) that start a placement, and that change legal status.
const PLACEMENT_STARTS = sql`('S', 'P', 'T', 'B', 'U')`;
const LEGAL_STATUS_STARTS = sql`('S', 'L', 'B', 'U')`;

/**
 * Each child's latest looked-after episode that was open at some time in the period: one row
 * per child, whatever happened in the months before.
 */
const latestEpisodes = (q: ListParams) => sql`select distinct on (e.person_id) e.*
    from cla_episode e
    where e.la_id = ${q.laId} and e.start_date <= ${q.to}::date
      and (e.end_date is null or e.end_date >= ${q.from}::date)
    order by e.person_id, e.start_date desc`;

/** List 8: children looked after at some time in the period, as they were at its end. */
const lookedAfter: AnnexAListQuery = {
  list: "List 8",
  title: "List 8 Looked after",
  columns: {
    ...child,
    "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)": NOT_HELD_UNKNOWN,
    "Does the Child have a Disability": "disabled",
    "Date Started to be Looked After": "care_start",
    "Child's Category of Need": "primary_need",
    "Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)":
      "second_period",
    "Start date of current legal status": "legal_status_start",
    "Child's Legal Status": "legal_status",
    "Date of Latest Statutory Review": "last_review",
    "Date of Last Social Work Visit": "last_visit",
    "What is the permanence plan for this child?": NOT_HELD,
    "Date of Last IRO Visit / Contact to the Child": NOT_HELD,
    "Date of Last Health Assessment": NOT_HELD,
    "Date of Last Dental Check": NOT_HELD,
    "Number of Placements in the Last 12 months": "placements_12m",
    "Date Ceased to be Looked After": "ceased_on",
    "Reason Ceased to be Looked After": "reason_ceased",
    "Start Date of Most Recent Placement": "placement_start",
    "Placement Type": "placement_type",
    "Placement Provider": "placement_provider",
    "Placement postcode": "placement_postcode",
    "URN of Placement": NOT_HELD,
    "Placement Location": NOT_HELD,
    "LA of Placement": NOT_HELD,
    "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months":
      "missing_12m",
    "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months":
      "absent_12m",
    "Was the child offered a Return Interview after their last missing episode (Y/N)?":
      "interview_offered",
    "Did the child accept a Return Interview after their last missing episode (Y/N)?":
      "interview_accepted",
    "Allocated Team": "team",
    "Allocated Worker": "worker",
  },
  query: (q) => sql`with latest as (${latestEpisodes(q)})
    select ${childColumns(q)},
      (select max(s.start_date) from cla_episode s where s.person_id = l.person_id
        and s.reason_new_episode = 'S' and s.start_date <= l.start_date) as care_start,
      coalesce(
        (select r.primary_need from referral r where r.id = l.referral_id),
        (select r.primary_need from referral r where r.person_id = l.person_id
          and r.referral_date <= ${q.to}::date order by r.referral_date desc limit 1)
      ) as primary_need,
      (select count(*) from cla_episode s where s.person_id = l.person_id
        and s.reason_new_episode = 'S'
        and s.start_date > ${q.from12}::date and s.start_date <= ${q.to}::date) > 1
        as second_period,
      (select max(s.start_date) from cla_episode s where s.person_id = l.person_id
        and s.reason_new_episode in ${LEGAL_STATUS_STARTS} and s.start_date <= l.start_date)
        as legal_status_start,
      l.legal_status,
      (select max(r.held_on) from cla_review r where r.person_id = l.person_id
        and r.held_on <= ${q.to}::date) as last_review,
      (select max(v.visited_on) from visit v where v.person_id = l.person_id and v.seen
        and v.plan_type = 'cla' and v.visited_on <= ${q.to}::date) as last_visit,
      (select count(*)::int from cla_episode s where s.person_id = l.person_id
        and s.reason_new_episode in ${PLACEMENT_STARTS}
        and s.start_date > ${q.from12}::date and s.start_date <= ${q.to}::date)
        as placements_12m,
      case when l.end_date <= ${q.to}::date and l.reason_ceased <> 'X1' then l.end_date end
        as ceased_on,
      case when l.end_date <= ${q.to}::date and l.reason_ceased <> 'X1' then l.reason_ceased end
        as reason_ceased,
      (select max(s.start_date) from cla_episode s where s.person_id = l.person_id
        and s.reason_new_episode in ${PLACEMENT_STARTS} and s.start_date <= l.start_date)
        as placement_start,
      l.placement_type, l.placement_provider, l.placement_postcode,
      (select count(*)::int from missing_episode m where m.person_id = l.person_id
        and m.kind = 'M' and m.started_at::date > ${q.from12}::date
        and m.started_at::date <= ${q.to}::date) as missing_12m,
      (select count(*)::int from missing_episode m where m.person_id = l.person_id
        and m.kind = 'A' and m.started_at::date > ${q.from12}::date
        and m.started_at::date <= ${q.to}::date) as absent_12m,
      lm.interview_offered, lm.interview_accepted,
      alloc.team, alloc.worker
    from latest l
    join person p on p.id = l.person_id
    left join lateral (
      select m.interview_offered_at is not null as interview_offered,
        m.interview_accepted
      from missing_episode m
      where m.person_id = l.person_id and m.kind = 'M' and m.started_at::date <= ${q.to}::date
      order by m.started_at desc limit 1
    ) lm on true
    ${allocatedJoin(q)}
    where ${liveChild(q)}
    order by care_start, p.id`,
};

const careLeavers: AnnexAListQuery = {
  list: "List 9",
  title: "List 9 Care leavers",
  columns: {},
  notHeld:
    "Trellis does not yet record care leavers: eligibility, keeping in touch, accommodation " +
    "and activity after leaving care.",
};

/**
 * List 10: children placed for adoption (SSDA903 placements A3 to A6) or adopted (reasons E11,
 * E12) in the period. Trellis holds the placements and the orders that end care, not the
 * decisions and matching along the way (decision 0032).
 */
const adoption: AnnexAListQuery = {
  list: "List 10",
  title: "List 10 Adoption",
  columns: {
    "Child Unique ID": "person_id",
    "Family identifier": "family_id",
    Gender: "sex",
    Ethnicity: "ethnicity",
    "Date of Birth": "date_of_birth",
    "Age of Child (Years)": "age",
    "Does the Child have a Disability": "disabled",
    "Date the Child Entered Care": "care_start",
    "Date of Decision that Child Should be Placed for Adoption": NOT_HELD,
    "Date of Placement Order": "placement_order_on",
    "Date of Matching Child and Prospective Adopters": NOT_HELD,
    "Date Placed for Adoption": "placed_on",
    "Date of Adoption Order": "adopted_on",
    "Date of Decision that Child Should No Longer be Placed for Adoption": NOT_HELD,
    "Reason Why Child No Longer Placed for Adoption": NOT_HELD,
    "Date the child was placed for fostering in FFA or concurrent planning placement": "ffa_on",
  },
  query: (q) => sql`with latest as (${latestEpisodes(q)}),
    care as (
      select l.*, (select max(s.start_date) from cla_episode s where s.person_id = l.person_id
        and s.reason_new_episode = 'S' and s.start_date <= l.start_date) as care_start
      from latest l
    ),
    adoption as (
      select c.*,
        (select min(s.start_date) from cla_episode s where s.person_id = c.person_id
          and s.start_date >= c.care_start and s.placement_type in ('A3', 'A4', 'A5', 'A6'))
          as placed_on,
        (select min(s.start_date) from cla_episode s where s.person_id = c.person_id
          and s.start_date >= c.care_start and s.legal_status = 'E1') as placement_order_on,
        (select min(s.start_date) from cla_episode s where s.person_id = c.person_id
          and s.start_date >= c.care_start and s.placement_type in ('U2', 'U5')) as ffa_on,
        case when c.end_date <= ${q.to}::date and c.reason_ceased in ('E11', 'E12')
          then c.end_date end as adopted_on
      from care c
    )
    select ${childColumns(q)},
      (select min(fm.family_id::text) from family_member fm where fm.person_id = a.person_id)
        as family_id,
      a.care_start, a.placement_order_on, a.placed_on, a.adopted_on, a.ffa_on
    from adoption a
    join person p on p.id = a.person_id
    where ${liveChild(q)}
      and (a.placed_on <= ${q.to}::date or a.adopted_on is not null)
    order by a.care_start, p.id`,
};

const adopters: AnnexAListQuery = {
  list: "List 11",
  title: "List 11 Adopters",
  columns: {},
  notHeld:
    "Trellis does not yet record prospective adopters or their journey through assessment " +
    "and approval: adopters are recorded by the adoption agency.",
};

export const annexAListsInCare = [lookedAfter, careLeavers, adoption, adopters];
