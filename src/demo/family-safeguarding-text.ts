/**
 * Short invented texts for the demo's Family Safeguarding work: Workbook sections, Signs of
 * Safety maps, the whole-family plan, group supervision and Family Group Conferences. Neutral
 * and synthetic; nothing is taken from a real case. Placeholders: {child}, {age}, {adult},
 * {main} (the main carer's first name), {children} (the children's first names).
 */

/** What an adult works on with the team, and so which specialist is allocated to them. */
export type Need = "da_victim" | "da_harm" | "substance" | "mental_health";

export function fillText(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

/** A list of first names: "Amy", "Amy and Ben", "Amy, Ben and Cal". */
export function namesList(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1] ?? ""}`;
}

export const CHILD_SECTION = {
  young: [
    "{child} is {age}. Seen at home on every visit: clean, dressed for the weather and at ease with {main}. The health visitor reports {child} is meeting developmental milestones. Routines at bedtime and mealtimes are still unsettled.",
    "{child} is {age}. Observed playing happily and going to {main} for comfort. Nursery reports good attendance but tiredness on some mornings.",
  ],
  older: [
    "{child} is {age}. In direct work (three houses) {child} put school, friends and their grandmother in the house of good things, and arguments at home in the house of worries. {child} knows they can talk to their teacher.",
    "{child} is {age} and is settled at school with a close friend there. {child} says they sometimes stay close to {main} because they worry about them, and would like more time to play.",
    "{child} is {age}. Attendance was low last term and has improved since the plan began. {child} says what helps is regular meals, knowing who will collect them, and quiet evenings.",
  ],
  updates: [
    "Update: {child} says mornings are calmer and they have been on time most days.",
    "Update: {child} enjoyed the after-school sessions and talked about feeling safer at home.",
    "Update: {child} was unsettled after a difficult weekend; the school kept a close eye and it passed.",
  ],
} as const;

export const PARENT_SECTION = {
  texts: [
    "{adult} wants the children to stay at home and has agreed to work with the team. Strengths: warm with the children, keeps their health appointments. {adult} finds it hard to keep routines when stressed.",
    "{adult} has been open about the difficulties at home and has attended every meeting. The children are clearly attached to {adult}. Support from the wider family has been patchy.",
  ],
  updates: [
    "Update: {adult} has kept to the routines agreed in the plan and asks for help earlier.",
    "Update: a harder month; {adult} missed one appointment but rang to rearrange it.",
  ],
} as const;

export const SPECIALIST_SECTION: Record<
  Need,
  { texts: readonly string[]; updates: readonly string[] }
> = {
  da_victim: {
    texts: [
      "{adult} has described a pattern of controlling behaviour in the relationship. A safety plan is in place and {adult} knows how to get help quickly. The risk checklist is repeated every six weeks.",
    ],
    updates: [
      "Update: {adult} has used the safety plan and says they feel more confident saying no.",
      "Update: fewer risk factors reported; {adult} has joined the Freedom Programme group.",
    ],
  },
  da_harm: {
    texts: [
      "{adult} accepts that their behaviour frightened the family and has started one-to-one sessions on recognising warning signs and managing stress.",
    ],
    updates: [
      "Update: {adult} has attended every session and talks about the effect of arguments on the children.",
      "Update: {adult} used a time-out plan during a disagreement, as practised in sessions.",
    ],
  },
  substance: {
    texts: [
      "{adult} reported drinking most evenings when the work began. {adult} is working with the recovery worker on a plan to cut down, and the alcohol screen is repeated to track change.",
    ],
    updates: [
      "Update: {adult} has kept alcohol-free days each week and attends the recovery group.",
      "Update: one lapse reported openly; the plan was reviewed and the next steps agreed.",
    ],
  },
  mental_health: {
    texts: [
      "{adult} describes low mood and worry over the past year. Seen fortnightly by the mental health practitioner; the GP is aware. Mood and anxiety measures are repeated to track change.",
    ],
    updates: [
      "Update: {adult} has started the course of talking therapy and reports better sleep.",
      "Update: a harder month; support increased to weekly and the GP review brought forward.",
    ],
  },
};

/** The goal each adult's work is towards: the plan's goal, and its readiness scaling. */
export const NEED_GOAL: Record<Need, { goal: string; scaled: string; action: string }> = {
  da_victim: {
    goal: "{adult} and the children are safe from abuse at home.",
    scaled: "Keep to the safety plan",
    action: "Fortnightly one-to-one sessions with {adult} on safety planning",
  },
  da_harm: {
    goal: "{adult} understands the effect of their behaviour on the children and resolves conflict safely.",
    scaled: "Manage anger without frightening the family",
    action: "Weekly behaviour change sessions with {adult}",
  },
  substance: {
    goal: "{adult} cuts down drinking to a level that does not affect the care of the children.",
    scaled: "Cut down drinking",
    action: "Recovery sessions with {adult} and a plan for alcohol-free days",
  },
  mental_health: {
    goal: "{adult} feels well enough to manage the children's day-to-day care.",
    scaled: "Keep going to the talking therapy sessions",
    action: "Fortnightly sessions with {adult} and a referral for talking therapy",
  },
};

export const SUPPORTING_ADULT_GOAL =
  "{adult} supports the family plan with regular help each week.";

export const CHILD_GOALS: readonly string[] = [
  "{child} feels safe at home and knows who to talk to when worried.",
  "{child} goes to school every day and on time.",
  "{child}'s health and development needs are met.",
];

export const CHILD_ACTIONS: readonly string[] = [
  "Direct work sessions with {child} on feelings and safety",
  "Weekly after-school sessions with {child} and {main}",
  "Agree a morning routine with {main} and check it at each visit",
];

export const CHILD_VIEWS: readonly string[] = [
  "I want everyone at home to stop shouting.",
  "I like it when we have tea together and watch a film.",
  "I want to keep going to football on Saturdays.",
  "I want to see Nan more.",
  "I feel better when I know who is picking me up.",
];

export const PARENT_VIEWS: readonly string[] = [
  "I want the children to stay with me and to feel safe.",
  "I know things have to change and I want help to do it.",
  "I want the children to have the childhood I didn't have.",
];

export const SOS = {
  worries:
    "{children} have heard arguments between the adults at home and have said they feel scared when it happens. At times the home has been chaotic and the children have missed school.",
  workingWell:
    "{main} takes the children to school most days and has kept every appointment with the team. The children are close to their grandmother, who helps at weekends.",
  needsToHappen:
    "The adults keep to the whole-family plan; the children have a safe adult to talk to at school; the family network meets again to review the safety plan.",
  danger:
    "Everyone is worried that if nothing changes the children could be hurt or frightened by arguments at home, and their needs could be missed.",
  safety:
    "{main} and the family network will show everyone that the children are safe and cared for every day, by keeping to the safety plan and telling the social worker when things are hard.",
  progress: [
    "Since the last map: no police call-outs, and school attendance is up.",
    "Since the last map: the family network has met twice and a rota is working.",
  ],
} as const;

export const SUPERVISION = {
  hypothesis: [
    "The adults' stress and conflict leave little room to notice the children's needs; when {main} feels supported, routines at home hold.",
    "The family copes well day to day but struggles at times of change; the children's worries show up first at school.",
  ],
  changed: [
    "School attendance has improved and the children were seen alone at each visit.",
    "{main} has kept every appointment and asked for help early after a difficult weekend.",
    "No further police call-outs; the family network has started to help with school runs.",
    "A harder month: a missed appointment and the children unsettled, now back on track.",
  ],
  risk: [
    "Risk remains medium. Protective factors: the grandmother's support and {main}'s engagement. Worry: what happens when the adults argue.",
    "Risk is reducing. The safety plan is being used and the measures show change; the team will look for it to hold over the next month.",
  ],
  decisions: [
    "Continue with the current plan; review at the next group supervision.",
    "The social worker to complete direct work with the children before the next session.",
    "Visits to stay weekly until the next session.",
    "Share the updated safety plan with the school and the health visitor.",
    "Consider stepping the plan down at the next review if progress holds.",
  ],
  actions: [
    "Share the updated safety plan with the school",
    "Arrange a joint visit with the family's adult specialist",
    "Update the Workbook with the latest assessment",
    "Book the next family network meeting",
    "Check the children's health appointments are up to date",
    "Talk with {main} about the next steps in the plan",
  ],
} as const;

export const FGC = {
  reason:
    "To bring the family's network together to plan how the children can be supported and kept safe at home.",
  network: "Maternal grandmother; {main}'s sister; a family friend; the children's godparent.",
  plan: "Grandmother to collect the children from school on weekdays; {main}'s sister to have the children one weekend a month; a family rota for evenings; the network to meet again in three months.",
} as const;

export const PROGRESS_NOTES = {
  done: "Done as agreed.",
  in_progress: "Started; going well so far.",
  overdue: "Delayed by illness; a new date is being agreed.",
} as const;
