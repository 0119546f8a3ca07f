/**
 * The standard measures Trellis ships with, as data in the same form a council uses for its
 * own. Item labels are short neutral paraphrases naming what each item is about, never the
 * published wording: practitioners administer the measure from its own licensed form and record
 * the answers here. The tests validate every entry and score every band boundary.
 */
import type { AnswerOption, Instrument, Item } from "./instrument.ts";

const SUPPORTS_JUDGEMENT = "The score supports professional judgement and never replaces it.";

/** Options valued 0, 1, 2, ... in the order given, unless values are supplied. */
function options(labels: readonly string[], values?: readonly number[]): AnswerOption[] {
  return labels.map((label, i) => ({ value: values?.[i] ?? i, label }));
}

function items(labels: readonly (readonly [string, string])[], answers: AnswerOption[]): Item[] {
  return labels.map(([id, label]) => ({ id, label, options: answers }));
}

const yesNo: AnswerOption[] = [
  { value: 1, label: "Yes" },
  { value: 0, label: "No" },
];

/** Risk factors in the order of the 27-question DASH-style checklist. */
const dashFactors = [
  ["current_injury", "Current injury"],
  ["very_frightened", "Victim very frightened"],
  ["fears_further_harm", "Fears further injury or violence"],
  ["isolated", "Isolated from family or friends"],
  ["depressed_or_suicidal", "Victim depressed or having suicidal thoughts"],
  ["separation", "Separation, or trying to separate, in the past year"],
  ["child_contact_conflict", "Conflict over child contact"],
  ["stalking", "Stalking or harassment"],
  ["pregnancy", "Pregnancy or recent birth"],
  ["other_children", "Children in the household who are not the abuser's"],
  ["children_hurt", "Abuser has hurt the children"],
  ["threats_to_children", "Threats to hurt or kill the children"],
  ["more_often", "Abuse happening more often"],
  ["getting_worse", "Abuse getting worse"],
  ["controlling", "Controlling or excessively jealous behaviour"],
  ["weapons", "Use of weapons or objects to hurt"],
  ["threats_to_kill", "Threats to kill"],
  ["strangulation", "Strangulation, choking or suffocation"],
  ["sexual_abuse", "Sexual abuse or degrading sexual behaviour"],
  ["others_threatening", "Other people threatening the victim"],
  ["hurt_others", "Abuser has hurt other people"],
  ["animal_cruelty", "Cruelty to animals or pets"],
  ["financial_issues", "Financial problems"],
  ["abuser_drugs_alcohol_mental_health", "Abuser's drug, alcohol or mental health problems"],
  ["abuser_suicide_threats", "Abuser has threatened or attempted suicide"],
  ["breach_of_orders", "Breach of bail, an injunction or a contact agreement"],
  ["criminal_history", "Abuser's criminal history"],
] as const;

export const dashRiskChecklist: Instrument = {
  id: "dash_risk_checklist",
  name: "Domestic abuse risk checklist (DASH-style)",
  version: "1",
  purpose:
    "Identifies risk factors for serious harm from domestic abuse; the score is the number of " +
    `factors the victim reports. ${SUPPORTS_JUDGEMENT} Practitioners may raise the level, with ` +
    "a reason, but never lower it.",
  items: items(dashFactors, yesNo),
  scoring: { kind: "count", value: 1 },
  bands: [
    { min: 0, max: 9, level: "standard", label: "Standard risk" },
    { min: 10, max: 13, level: "medium", label: "Medium risk" },
    {
      min: 14,
      max: 27,
      level: "high",
      label: "High risk",
      note: "14 or more risk factors prompts a referral to MARAC.",
    },
  ],
  overridePolicy: "raise_only",
};

const auditFrequency = ["Never", "Less than monthly", "Monthly", "Weekly", "Daily or most days"];

export const audit: Instrument = {
  id: "audit",
  name: "AUDIT (alcohol use)",
  version: "1",
  purpose: `Screens for hazardous and harmful drinking and possible dependence. ${SUPPORTS_JUDGEMENT}`,
  items: [
    {
      id: "q1",
      label: "Frequency of drinking",
      options: options([
        "Never",
        "Up to once a month",
        "2 to 4 times a month",
        "2 or 3 times a week",
        "4 or more times a week",
      ]),
    },
    {
      id: "q2",
      label: "Drinks on a typical drinking day",
      options: options(["1 or 2", "3 or 4", "5 or 6", "7 to 9", "10 or more"]),
    },
    ...items(
      [
        ["q3", "Frequency of heavy drinking (6 or more drinks)"],
        ["q4", "Unable to stop once started"],
        ["q5", "Failed to do what was expected because of drinking"],
        ["q6", "Morning drink needed"],
        ["q7", "Guilt or remorse after drinking"],
        ["q8", "Memory loss after drinking"],
      ],
      options(auditFrequency),
    ),
    ...items(
      [
        ["q9", "Injury to self or others from drinking"],
        ["q10", "Others concerned about the drinking"],
      ],
      // Published scoring skips 1 and 3 on these two items.
      options(["No", "Yes, over a year ago", "Yes, within the last year"], [0, 2, 4]),
    ),
  ],
  scoring: { kind: "sum" },
  bands: [
    { min: 0, max: 7, level: "zone_1", label: "Zone I: lower risk" },
    { min: 8, max: 15, level: "zone_2", label: "Zone II: increasing risk" },
    { min: 16, max: 19, level: "zone_3", label: "Zone III: higher risk" },
    { min: 20, max: 40, level: "zone_4", label: "Zone IV: possible dependence" },
  ],
};

/** The two-week frequency scale shared by PHQ-9 and GAD-7. */
const pastTwoWeeks = options([
  "Not at all",
  "On some days",
  "On over half the days",
  "Almost every day",
]);

export const phq9: Instrument = {
  id: "phq9",
  name: "PHQ-9 (depression)",
  version: "1",
  purpose:
    "Screens for depression and its severity over the past two weeks. Any answer above zero " +
    `on thoughts of self-harm raises an immediate alert. ${SUPPORTS_JUDGEMENT}`,
  items: items(
    [
      ["q1", "Little interest or pleasure"],
      ["q2", "Feeling low or hopeless"],
      ["q3", "Sleep problems"],
      ["q4", "Tiredness or low energy"],
      ["q5", "Appetite changes"],
      ["q6", "Feeling bad about oneself"],
      ["q7", "Trouble concentrating"],
      ["q8", "Slowed down or restless"],
      ["q9", "Thoughts of death or self-harm"],
    ],
    pastTwoWeeks,
  ),
  scoring: { kind: "sum" },
  bands: [
    { min: 0, max: 4, level: "minimal", label: "Minimal" },
    { min: 5, max: 9, level: "mild", label: "Mild" },
    { min: 10, max: 14, level: "moderate", label: "Moderate" },
    { min: 15, max: 19, level: "moderately_severe", label: "Moderately severe" },
    { min: 20, max: 27, level: "severe", label: "Severe" },
  ],
  alerts: [
    {
      code: "self_harm_thoughts",
      itemId: "q9",
      when: { kind: "non_zero" },
      message:
        "Thoughts of death or self-harm reported. Act now: check the person's immediate " +
        "safety and follow the self-harm and suicide risk procedure today. The family's " +
        "allocated workers are alerted.",
    },
  ],
};

export const gad7: Instrument = {
  id: "gad7",
  name: "GAD-7 (anxiety)",
  version: "1",
  purpose: `Screens for anxiety and its severity over the past two weeks. ${SUPPORTS_JUDGEMENT}`,
  items: items(
    [
      ["q1", "Nervous or on edge"],
      ["q2", "Unable to stop worrying"],
      ["q3", "Worrying too much"],
      ["q4", "Trouble relaxing"],
      ["q5", "Restlessness"],
      ["q6", "Easily irritated"],
      ["q7", "Fear that something awful may happen"],
    ],
    pastTwoWeeks,
  ),
  scoring: { kind: "sum" },
  bands: [
    { min: 0, max: 4, level: "minimal", label: "Minimal" },
    { min: 5, max: 9, level: "mild", label: "Mild" },
    { min: 10, max: 14, level: "moderate", label: "Moderate" },
    { min: 15, max: 21, level: "severe", label: "Severe" },
  ],
};

const DISPLAY_ONLY = "Trellis's own banding, for display only: not a validated cut-off.";

export const readinessToChange: Instrument = {
  id: "readiness_to_change",
  name: "Readiness to change (scaling question)",
  version: "1",
  purpose:
    "The Motivational Interviewing scaling question: how ready the person feels to make the " +
    "change discussed, from 0 to 10. The answer, and why it is not lower, matter more than " +
    `the band. ${DISPLAY_ONLY} ${SUPPORTS_JUDGEMENT}`,
  items: [
    {
      id: "readiness",
      label: "Readiness to change",
      options: options(
        Array.from({ length: 11 }, (_, i) =>
          i === 0 ? "0: not ready at all" : i === 10 ? "10: completely ready" : String(i),
        ),
      ),
    },
  ],
  scoring: { kind: "sum" },
  bands: [
    { min: 0, max: 3, level: "not_ready", label: "Not ready", note: DISPLAY_ONLY },
    { min: 4, max: 6, level: "unsure", label: "Unsure", note: DISPLAY_ONLY },
    { min: 7, max: 10, level: "ready", label: "Ready", note: DISPLAY_ONLY },
  ],
};

export const builtInInstruments: readonly Instrument[] = [
  dashRiskChecklist,
  audit,
  phq9,
  gad7,
  readinessToChange,
];

/** A built-in instrument by id, e.g. for results stored with only the id and version. */
export function builtInInstrument(id: string): Instrument | undefined {
  return builtInInstruments.find((i) => i.id === id);
}
