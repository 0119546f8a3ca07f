/**
 * One child's document for the DfE's daily children's social care feed (specs/dfe-csc-api/):
 * built from plain values taken from the records. Fields with no value are omitted, never sent
 * as empty strings, and `purge: true` asks the DfE to delete what it holds for an object (a
 * record deleted or merged away, a plan entered in error).
 */

export interface FeedEpisode {
  referralId: string;
  referralDate: string;
  source: string;
  noFurtherAction: boolean;
  closedOn: string | null;
  closureReason: string | null;
  workers: { workerId: string; startDate: string; endDate: string | null }[];
  assessments: { id: string; startedOn: string; authorisedOn: string | null; factors: string[] }[];
  cinPlans: { id: string; startDate: string; endDate: string | null }[];
  section47s: {
    id: string;
    startedOn: string;
    icpcRequired: boolean | null;
    icpcOn: string | null;
    completedOn: string | null;
  }[];
  cpPlans: { id: string; startDate: string; endDate: string | null; purge?: boolean }[];
  placements: {
    id: string;
    startDate: string;
    startReason: string;
    placementType: string;
    postcode: string | null;
    endDate: string | null;
    endReason: string | null;
  }[];
  purge?: boolean;
}

export interface FeedChild {
  laCode: number;
  personId: string;
  /** The council's child id (the CIN census LAchildID). */
  laChildId: string;
  /** The record was deleted or merged away: the DfE deletes what it holds for the child. */
  purge: boolean;
  details: {
    upn: string | null;
    givenName: string;
    familyName: string;
    dateOfBirth: string | null;
    /** CIN census gendertype: 1 male, 2 female, 0 and 9 neither. */
    sex: string | null;
    ethnicity: string | null;
    postcode: string | null;
  } | null;
  episodes: FeedEpisode[];
}

type Json = string | number | boolean | Json[] | { [key: string]: Json };

/** The object with its empty values left out (null, "", and empty lists). */
function present(fields: Record<string, Json | null | undefined>): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === null || value === undefined || value === "") continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return out;
}

const feedSex = (sex: string | null): string | null =>
  sex === "1" ? "M" : sex === "2" ? "F" : sex === null ? null : "U";

function episodeDocument(e: FeedEpisode): { [key: string]: Json } {
  return present({
    social_care_episode_id: e.referralId,
    referral_date: e.referralDate,
    referral_source: e.source,
    referral_no_further_action_flag: e.noFurtherAction,
    closure_date: e.closedOn,
    closure_reason: e.closureReason,
    care_worker_details: e.workers.map((w) =>
      present({ worker_id: w.workerId, start_date: w.startDate, end_date: w.endDate }),
    ),
    child_and_family_assessments: e.assessments.map((a) =>
      present({
        child_and_family_assessment_id: a.id,
        start_date: a.startedOn,
        authorisation_date: a.authorisedOn,
        factors: a.factors,
      }),
    ),
    child_in_need_plans: e.cinPlans.map((p) =>
      present({ child_in_need_plan_id: p.id, start_date: p.startDate, end_date: p.endDate }),
    ),
    section_47_assessments: e.section47s.map((s) =>
      present({
        section_47_assessment_id: s.id,
        start_date: s.startedOn,
        icpc_required_flag: s.icpcRequired,
        icpc_date: s.icpcOn,
        end_date: s.completedOn,
      }),
    ),
    child_protection_plans: e.cpPlans.map((p) =>
      present({
        child_protection_plan_id: p.id,
        start_date: p.startDate,
        end_date: p.endDate,
        purge: p.purge ? true : null,
      }),
    ),
    child_looked_after_placements: e.placements.map((p) =>
      present({
        child_looked_after_placement_id: p.id,
        start_date: p.startDate,
        start_reason: p.startReason,
        placement_type: p.placementType,
        postcode: p.postcode,
        end_date: p.endDate,
        end_reason: p.endReason,
      }),
    ),
    purge: e.purge ? true : null,
  });
}

/**
 * The document for one child. A purged child carries only its ids and `purge`: the DfE is
 * asked to delete, and is sent nothing more about a record that no longer stands.
 */
export function childDocument(child: FeedChild): { [key: string]: Json } {
  const ids = { la_child_id: child.laChildId, mis_child_id: child.personId };
  if (child.purge) return { la_code: child.laCode, Children: { ...ids, purge: true } };
  const d = child.details;
  return {
    la_code: child.laCode,
    Children: present({
      ...ids,
      purge: false,
      child_details: d
        ? present({
            unique_pupil_number: d.upn,
            first_name: d.givenName,
            surname: d.familyName,
            date_of_birth: d.dateOfBirth,
            sex: feedSex(d.sex),
            ethnicity: d.ethnicity,
            postcode: d.postcode,
          })
        : null,
      social_care_episodes: child.episodes.map(episodeDocument),
    }),
  };
}
