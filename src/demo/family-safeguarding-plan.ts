/**
 * The demo's whole-family plans: the children's and parents' views, consent, a goal for each
 * member and actions owned across the disciplines and one partner agency.
 */
import type { PlanProgress } from "../domain/family-safeguarding.ts";
import { workingTime } from "./journeys-calendar.ts";
import type { DemoPerson } from "./families.ts";
import {
  CHILD_ACTIONS,
  CHILD_GOALS,
  CHILD_VIEWS,
  fillText,
  NEED_GOAL,
  PARENT_VIEWS,
  PROGRESS_NOTES,
  SUPPORTING_ADULT_GOAL,
} from "./family-safeguarding-text.ts";
import { chron, textValues, type FsContext, type FsFamily } from "./family-safeguarding-world.ts";
import { dateOf } from "./journeys-calendar.ts";
import type { UserInfo } from "./staff.ts";

interface ActionSpec {
  goalId: string;
  action: string;
  ownerUser: UserInfo | null;
  ownerOrganisation: string | null;
  due: number;
  progress: PlanProgress;
  overdue: boolean;
}

/**
 * The whole-family plan: the children's and parents' views in their own words, consent, a
 * goal for each member, and actions owned by the family's practitioners and one partner
 * agency; some done, exactly one overdue.
 */
export function familyPlan(ctx: FsContext, f: FsFamily): void {
  const { rng, today } = ctx;
  const values = textValues(f);
  const agreed = Math.min(f.opened + rng.int(7, 21), today - 1);
  const planId = ctx.id();
  const main = f.adults[0]?.person;
  const childViews = f.children
    .map((c) =>
      c.age >= 4
        ? `${c.givenName} (${String(c.age)}): "${rng.pick(CHILD_VIEWS)}"`
        : `${c.givenName} (${String(c.age)}) is too young to give their views in words; seen to be happy and settled with ${values.main ?? ""}.`,
    )
    .join("\n");
  const parentViews = f.adults
    .map((a) => `${a.person.givenName}: "${rng.pick(PARENT_VIEWS)}"`)
    .join("\n");
  const specs: ActionSpec[] = [];
  const goal = (person: DemoPerson, text: string, by: UserInfo): string => {
    const id = ctx.id();
    ctx.rows.family_plan_goal.push({
      id,
      la_id: ctx.laId,
      plan_id: planId,
      person_id: person.id,
      goal: text,
      created_by: by.id,
      created_at: workingTime(rng, agreed),
    });
    return id;
  };
  const action = (goalId: string, text: string, owner: UserInfo | null, org: string | null) => {
    const due = agreed + rng.int(14, 150);
    const progress: PlanProgress =
      due < today
        ? rng.chance(0.85)
          ? "done"
          : "in_progress"
        : rng.pick(["in_progress", "not_started"] as const);
    specs.push({
      goalId,
      action: text,
      ownerUser: owner,
      ownerOrganisation: org,
      due,
      progress,
      overdue: false,
    });
  };
  f.children.forEach((child, i) => {
    const v = { ...values, child: child.givenName };
    const goalId = goal(child, fillText(CHILD_GOALS[i % CHILD_GOALS.length] ?? "", v), f.lead);
    const owner = i % 2 === 1 && f.practitioner ? f.practitioner : f.lead;
    action(goalId, fillText(CHILD_ACTIONS[i % CHILD_ACTIONS.length] ?? "", v), owner, null);
    if (i === 0) {
      // One action for a partner agency: the school, or the health visitor for the under-fives.
      const school = child.age >= 11 ? ctx.orgs.partner.secondary : ctx.orgs.partner.primary;
      const [org, text] =
        child.age >= 5
          ? [school, `Designated safeguarding lead to check in with ${child.givenName} each week`]
          : [ctx.orgs.partner.health, `Health visitor to review ${child.givenName}'s development`];
      action(goalId, text, null, org);
    }
  });
  for (const adult of f.adults) {
    const v = { ...values, adult: adult.person.givenName };
    const text = adult.need ? NEED_GOAL[adult.need].goal : SUPPORTING_ADULT_GOAL;
    const goalId = goal(adult.person, fillText(text, v), f.lead);
    if (adult.need && adult.specialist) {
      action(goalId, fillText(NEED_GOAL[adult.need].action, v), adult.specialist, null);
    } else {
      action(goalId, fillText("Agree with {adult} how they will help each week", v), f.lead, null);
    }
  }
  // Exactly one action overdue: past its date and not done.
  const late = specs.filter((s) => s.due < today && s.progress !== "done");
  for (const s of late.slice(1)) s.progress = "done";
  const overdue = late[0] ?? specs.find((s) => s.due < today) ?? specs[0];
  if (overdue) {
    if (overdue.due >= today) overdue.due = Math.max(agreed + 7, today - rng.int(3, 10));
    overdue.progress = "in_progress";
    overdue.overdue = true;
  }
  // Some done already: the earliest other action, a few weeks after the plan was agreed.
  const done = specs.find((s) => s !== overdue);
  if (done && !specs.some((s) => s.progress === "done")) {
    done.due = Math.min(agreed + rng.int(14, 28), today - 1);
    done.progress = "done";
  }
  for (const s of specs) {
    const changed = s.progress !== "not_started";
    const by = s.ownerUser ?? f.lead;
    ctx.rows.family_plan_action.push({
      id: ctx.id(),
      la_id: ctx.laId,
      goal_id: s.goalId,
      action: s.action,
      owner_user_id: s.ownerUser?.id ?? null,
      owner_organisation_id: s.ownerOrganisation,
      due_on: dateOf(s.due),
      progress: s.progress,
      progress_note: s.overdue
        ? PROGRESS_NOTES.overdue
        : changed
          ? PROGRESS_NOTES[s.progress === "done" ? "done" : "in_progress"]
          : "",
      version: changed ? 2 : 1,
      updated_by: by.id,
      updated_at: workingTime(rng, changed ? Math.min(s.due, today - 1) : agreed),
    });
  }
  ctx.rows.family_plan.push({
    id: planId,
    la_id: ctx.laId,
    workbook_id: f.workbookId,
    child_views: childViews,
    parent_views: parentViews,
    consent: "given",
    consent_given_by: main ? `${main.givenName} (${main.role.replace("_", "-")})` : null,
    consent_recorded_on: dateOf(agreed),
    version: 1,
    updated_by: f.lead.id,
    updated_at: workingTime(rng, agreed),
  });
  chron(
    ctx,
    f,
    agreed,
    "family_plan",
    "Whole-family plan: views and consent recorded (consent given)",
    f.lead,
    {
      type: "family_plan",
      id: planId,
    },
  );
}
