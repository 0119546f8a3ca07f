/**
 * Every measure Trellis computes, defined once in plain words (issue 13). The SQL that counts
 * each one sits beside its key in src/modules/kpis/cohorts.ts; this file is what a reader, a
 * dashboard and an export say about it. Sources: the seeds' KPI tables (Blackpool's Family
 * Safeguarding plan; Lancashire and Wolverhampton's exploitation outcomes) and the DfE's
 * published timeliness measures (Working Together to Safeguard Children 2023).
 */

/** How a figure is formed from its counts. */
export type MeasureUnit =
  /** numerator / denominator as a percentage of events */
  | "percent"
  /** a plain count of events or children */
  | "count"
  /** children per 10,000 of the council's child population (decision 0033) */
  | "rate_per_10k"
  /** numerator / denominator, e.g. children per worker */
  | "ratio";

export type Better = "higher" | "lower" | "neither";

export const breakdowns = [
  { key: "team", label: "Team" },
  { key: "locality", label: "Locality" },
  { key: "worker", label: "Worker" },
  { key: "age_band", label: "Age band" },
  { key: "sex", label: "Sex" },
  { key: "ethnicity", label: "Ethnicity" },
  { key: "primary_need", label: "Primary need" },
] as const;
export type BreakdownKey = (typeof breakdowns)[number]["key"];

/** Breakdowns a child population gives (rates per 10,000 need a population for each group). */
export const populationBreakdowns: readonly BreakdownKey[] = ["age_band", "sex", "ethnicity"];
const people: readonly BreakdownKey[] = ["age_band", "sex", "ethnicity", "primary_need"];
const everyBreakdown: readonly BreakdownKey[] = breakdowns.map((b) => b.key);

export interface Measure {
  key: string;
  name: string;
  /** What is counted, in plain words. */
  definition: string;
  numerator: string;
  denominator: string;
  unit: MeasureUnit;
  /** How the period is read: which date puts an event in a month. */
  period: string;
  better: Better;
  /** A target the seeds or statute give; none where they give none. */
  target?: { value: number; source: string };
  /** Where in the records the figure comes from. */
  source: string;
  breakdowns: readonly BreakdownKey[];
  /** Counted on each month's last day: a breakdown shows the last month, not a sum. */
  snapshot?: boolean;
  /** Groups the measure belongs to on the dashboards. */
  theme: "front_door" | "timeliness" | "protection" | "care" | "exploitation" | "workforce";
  /** Not recorded in Trellis yet: shown as such, never as zero. */
  notRecorded?: string;
}

export const measures: readonly Measure[] = [
  {
    key: "re_referrals",
    name: "Re-referrals within 12 months",
    definition:
      "Referrals to children's social care in the month for a child who had another referral in the 12 months before.",
    numerator: "Referrals with an earlier referral of the same child in the 12 months before",
    denominator: "Referrals",
    unit: "percent",
    period: "The referral date",
    better: "lower",
    source: "Referrals (referral date, child)",
    breakdowns: everyBreakdown,
    theme: "front_door",
  },
  {
    key: "contact_conversion",
    name: "Contacts becoming referrals",
    definition:
      "Children named on a contact received in the month whose contact led to a referral.",
    numerator: "Children on contacts linked to a referral",
    denominator: "Children on contacts",
    unit: "percent",
    period: "The date the contact was received",
    better: "neither",
    source: "Contacts and the children on them",
    breakdowns: people,
    theme: "front_door",
  },
  {
    key: "contacts_decided_in_time",
    name: "Contacts decided within 1 working day",
    definition:
      "Children on contacts decided in the month whose contact was decided by its due date, one working day after it was received.",
    numerator: "Children on contacts decided by the due date",
    denominator: "Children on contacts decided",
    unit: "percent",
    period: "The date of the decision",
    better: "higher",
    source: "Contacts (received, decision due, decided)",
    breakdowns: people,
    theme: "front_door",
  },
  {
    key: "assessments_in_45_days",
    name: "Assessments within 45 working days",
    definition:
      "Assessments completed in the month that were completed within 45 working days of the referral's assessment starting.",
    numerator: "Assessments submitted on or before their due date",
    denominator: "Assessments submitted",
    unit: "percent",
    period: "The date the assessment was submitted",
    better: "higher",
    source: "Assessments (started, due, submitted)",
    breakdowns: everyBreakdown,
    theme: "timeliness",
  },
  {
    key: "assessments_nfa",
    name: "Assessments ending in no further action",
    definition: "Assessments authorised in the month whose outcome was no further action.",
    numerator: "Assessments with the outcome no further action",
    denominator: "Assessments authorised",
    unit: "percent",
    period: "The date the assessment was authorised",
    better: "lower",
    source: "Assessments (authorised, outcome)",
    breakdowns: everyBreakdown,
    theme: "front_door",
  },
  {
    key: "parental_substance_misuse",
    name: "Assessments finding parental substance misuse",
    definition:
      "Assessments authorised in the month recording parental alcohol or drug misuse (factors 1B or 2B).",
    numerator: "Assessments with factor 1B or 2B",
    denominator: "Assessments authorised",
    unit: "percent",
    period: "The date the assessment was authorised",
    better: "lower",
    source: "Assessment factors (CIN census codes)",
    breakdowns: everyBreakdown,
    theme: "front_door",
  },
  {
    key: "parental_mental_health",
    name: "Assessments finding parental mental ill health",
    definition: "Assessments authorised in the month recording parental mental health (factor 4B).",
    numerator: "Assessments with factor 4B",
    denominator: "Assessments authorised",
    unit: "percent",
    period: "The date the assessment was authorised",
    better: "lower",
    source: "Assessment factors (CIN census codes)",
    breakdowns: everyBreakdown,
    theme: "front_door",
  },
  {
    key: "domestic_abuse",
    name: "Assessments finding domestic abuse",
    definition:
      "Assessments authorised in the month recording domestic abuse concerning the parents (factor 3B).",
    numerator: "Assessments with factor 3B",
    denominator: "Assessments authorised",
    unit: "percent",
    period: "The date the assessment was authorised",
    better: "lower",
    source: "Assessment factors (CIN census codes)",
    breakdowns: everyBreakdown,
    theme: "front_door",
  },
  {
    key: "children_in_need",
    snapshot: true,
    name: "Children in need",
    definition: "Children with an open referral (an episode of need) on the last day of the month.",
    numerator: "Children with an open referral",
    denominator: "None: a count",
    unit: "count",
    period: "Open on the last day of the month",
    better: "lower",
    source: "Referrals (referral date, closed)",
    breakdowns: everyBreakdown,
    theme: "front_door",
  },
  {
    key: "abuse_or_neglect_need",
    snapshot: true,
    name: "Children in need for abuse or neglect",
    definition:
      "Children with an open referral on the last day of the month whose primary need is abuse or neglect (N1).",
    numerator: "Open referrals with primary need N1",
    denominator: "Open referrals",
    unit: "percent",
    period: "Open on the last day of the month",
    better: "lower",
    source: "Referrals (primary need)",
    breakdowns: everyBreakdown,
    theme: "front_door",
  },
  {
    key: "strategy_all_partners",
    name: "Strategy discussions with all 3 statutory partners",
    definition:
      "Strategy discussions held in the month attended by children's social care, the police and health.",
    numerator: "Strategy discussions with all three partners recorded as attending",
    denominator: "Strategy discussions held",
    unit: "percent",
    period: "The date the strategy discussion was held",
    better: "higher",
    target: { value: 100, source: "Working Together to Safeguard Children 2023, 2.155" },
    source: "Strategy discussions and their attendees",
    breakdowns: everyBreakdown,
    theme: "protection",
  },
  {
    key: "s47_rate",
    name: "Section 47 enquiries per 10,000 children",
    definition:
      "Section 47 enquiries started in the month per 10,000 children living in the council.",
    numerator: "Section 47 enquiries started",
    denominator: "The council's child population",
    unit: "rate_per_10k",
    period: "The date the enquiry started",
    better: "neither",
    source: "Section 47 enquiries; the configured child population",
    breakdowns: populationBreakdowns,
    theme: "protection",
  },
  {
    key: "icpc_in_15_days",
    name: "Initial conferences within 15 working days",
    definition:
      "Initial child protection conferences held in the month within 15 working days of the strategy discussion.",
    numerator: "Initial conferences held on or before their due date",
    denominator: "Initial conferences held",
    unit: "percent",
    period: "The date the conference was held",
    better: "higher",
    target: { value: 100, source: "Working Together to Safeguard Children 2023, 2.186" },
    source: "Child protection conferences (held, due)",
    breakdowns: everyBreakdown,
    theme: "timeliness",
  },
  {
    key: "cp_plans_2_years",
    name: "Child protection plans lasting 2 years or more",
    definition: "Child protection plans ended in the month that had lasted 2 years or more.",
    numerator: "Plans ended after 2 years or more",
    denominator: "Plans ended",
    unit: "percent",
    period: "The date the plan ended",
    better: "lower",
    source: "Child protection plans (start, end)",
    breakdowns: everyBreakdown,
    theme: "protection",
  },
  {
    key: "cp_plans_repeat",
    name: "Second or later child protection plans",
    definition:
      "Child protection plans started in the month for a child who had been on a plan before, at any time.",
    numerator: "Plans for a child with an earlier plan",
    denominator: "Plans started",
    unit: "percent",
    period: "The date the plan started",
    better: "lower",
    source: "Child protection plans",
    breakdowns: everyBreakdown,
    theme: "protection",
  },
  {
    key: "cp_plans_repeat_2_years",
    name: "Repeat child protection plans within 2 years",
    definition:
      "Child protection plans started in the month for a child whose earlier plan ended in the 2 years before.",
    numerator: "Plans for a child whose earlier plan ended within 2 years",
    denominator: "Plans started",
    unit: "percent",
    period: "The date the plan started",
    better: "lower",
    source: "Child protection plans",
    breakdowns: everyBreakdown,
    theme: "protection",
  },
  {
    key: "cp_visits_in_time",
    snapshot: true,
    name: "Child protection visits in time",
    definition:
      "Children on a child protection plan on the last day of the month who had a child protection visit in the 10 working days before (taken as 14 days).",
    numerator: "Children on a plan visited in the 14 days to the month's end",
    denominator: "Children on a plan at the month's end",
    unit: "percent",
    period: "On a plan on the last day of the month",
    better: "higher",
    target: { value: 100, source: "The council's visit frequency for child protection" },
    source: "Child protection plans and visits",
    breakdowns: everyBreakdown,
    theme: "timeliness",
  },
  {
    key: "looked_after_rate",
    snapshot: true,
    name: "Children looked after per 10,000 children",
    definition:
      "Children looked after on the last day of the month per 10,000 children living in the council.",
    numerator: "Children in an open period of care on the last day of the month",
    denominator: "The council's child population",
    unit: "rate_per_10k",
    period: "Looked after on the last day of the month",
    better: "lower",
    source: "SSDA903 episodes; the configured child population",
    breakdowns: populationBreakdowns,
    theme: "care",
  },
  {
    key: "looked_after",
    snapshot: true,
    name: "Children looked after",
    definition: "Children looked after on the last day of the month.",
    numerator: "Children in an open period of care",
    denominator: "None: a count",
    unit: "count",
    period: "Looked after on the last day of the month",
    better: "lower",
    source: "SSDA903 episodes",
    breakdowns: everyBreakdown,
    theme: "care",
  },
  {
    key: "entries_to_care",
    name: "Children entering care",
    definition:
      "Children starting a new period of care in the month (SSDA903 reason for new episode S).",
    numerator: "New periods of care",
    denominator: "None: a count",
    unit: "count",
    period: "The date the period of care started",
    better: "lower",
    source: "SSDA903 episodes",
    breakdowns: everyBreakdown,
    theme: "care",
  },
  {
    key: "returned_home",
    name: "Leaving care to return home",
    definition:
      "Periods of care ended in the month with the child returning home to parents or going to live with relatives (SSDA903 reasons E4A, E4B, E13 and E47).",
    numerator: "Periods ended with reason ceased E4A, E4B, E13 or E47",
    denominator: "Periods of care ended",
    unit: "percent",
    period: "The date the period of care ended",
    better: "higher",
    source: "SSDA903 episodes (reason ceased)",
    breakdowns: everyBreakdown,
    theme: "care",
  },
  {
    key: "cla_visits_in_time",
    snapshot: true,
    name: "Looked-after visits in time",
    definition:
      "Children looked after on the last day of the month who had a looked-after visit in the 6 weeks before.",
    numerator: "Children looked after visited in the 42 days to the month's end",
    denominator: "Children looked after at the month's end",
    unit: "percent",
    period: "Looked after on the last day of the month",
    better: "higher",
    target: { value: 100, source: "Care Planning Regulations 2010, reg. 28" },
    source: "SSDA903 episodes and visits",
    breakdowns: everyBreakdown,
    theme: "timeliness",
  },
  {
    key: "missing_episodes",
    name: "Missing episodes",
    definition: "Episodes of a child missing or away from placement that started in the month.",
    numerator: "Missing or away episodes",
    denominator: "None: a count",
    unit: "count",
    period: "The date the episode started",
    better: "lower",
    source: "Missing episodes",
    breakdowns: everyBreakdown,
    theme: "exploitation",
  },
  {
    key: "missing_per_child",
    name: "Missing episodes per child",
    definition: "Missing or away episodes started in the month for each child who went missing.",
    numerator: "Missing or away episodes",
    denominator: "Children who went missing",
    unit: "ratio",
    period: "The date the episode started",
    better: "lower",
    source: "Missing episodes",
    breakdowns: everyBreakdown,
    theme: "exploitation",
  },
  {
    key: "return_interviews_72h",
    name: "Return interviews held within 72 hours",
    definition:
      "Missing episodes ended in the month whose return home interview was held within 72 hours.",
    numerator: "Episodes with an interview held within 72 hours of return",
    denominator: "Missing episodes ended",
    unit: "percent",
    period: "The date the child returned",
    better: "higher",
    target: {
      value: 100,
      source: "Statutory guidance on children who run away or go missing (2014), 52",
    },
    source: "Missing episodes (returned, interview held)",
    breakdowns: everyBreakdown,
    theme: "exploitation",
  },
  {
    key: "caseload_per_worker",
    snapshot: true,
    name: "Children per worker",
    definition:
      "Children allocated on the last day of the month for each worker with an allocation.",
    numerator: "Open allocations",
    denominator: "Workers with an open allocation",
    unit: "ratio",
    period: "Allocated on the last day of the month",
    better: "neither",
    source: "Allocations",
    breakdowns: ["team", "locality", "worker"],
    theme: "workforce",
  },
  {
    key: "worker_changes",
    name: "Changes of allocated social worker",
    definition:
      "Allocations ended in the month because the child was reallocated to another worker.",
    numerator: "Reallocations",
    denominator: "None: a count",
    unit: "count",
    period: "The date the allocation ended",
    better: "lower",
    source: "Allocations (end, how it ended)",
    breakdowns: everyBreakdown,
    theme: "workforce",
  },
  ...(
    [
      ["neet", "Young people not in education, employment or training", "exploitation"],
      ["exclusions", "School exclusions", "exploitation"],
      ["offending", "Offending", "exploitation"],
      ["ae_attendances", "A&E attendances", "exploitation"],
      ["homelessness", "Homelessness", "exploitation"],
      ["education_attendance", "Education attendance", "front_door"],
    ] as const
  ).map(([key, name, theme]): Measure => ({
    key,
    name,
    definition: `${name} of children known to children's social care.`,
    numerator: "Not recorded",
    denominator: "Not recorded",
    unit: "count",
    period: "Not recorded",
    better: key === "education_attendance" ? "higher" : "lower",
    source: "Not recorded in Trellis",
    breakdowns: [],
    theme,
    notRecorded:
      "Trellis does not record this yet: it needs a feed from schools, the police, health or housing.",
  })),
];

export function measureOf(key: string): Measure | undefined {
  return measures.find((m) => m.key === key);
}

export function breakdownLabel(key: BreakdownKey): string {
  return breakdowns.find((b) => b.key === key)?.label ?? key;
}

export function isBreakdown(value: string): value is BreakdownKey {
  return breakdowns.some((b) => b.key === value);
}

/**
 * The figure from its counts: a percentage, a rate or a ratio; undefined when the denominator
 * is zero or missing, which a page shows as "no data", never as a number.
 */
export function figureOf(
  unit: MeasureUnit,
  numerator: number,
  denominator: number | undefined,
): number | undefined {
  if (unit === "count") return numerator;
  if (!denominator) return undefined;
  const scale = unit === "percent" ? 100 : unit === "rate_per_10k" ? 10_000 : 1;
  return Math.round((numerator / denominator) * scale * 10) / 10;
}

/** DfE age bands at a date, as the child population is given. */
export const ageBands = [
  { key: "under_1", label: "Under 1" },
  { key: "1_4", label: "1 to 4" },
  { key: "5_9", label: "5 to 9" },
  { key: "10_15", label: "10 to 15" },
  { key: "16_17", label: "16 to 17" },
] as const;
