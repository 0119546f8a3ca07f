/** View data for the child protection page and its forms. */
import { categoriesOfAbuse, organisationKinds } from "../../domain/code-lists.ts";
import { todayIn } from "../../domain/dates.ts";
import {
  agencyLabel,
  allStatutoryPartners,
  categoryLabel,
  codeLabel,
  cpPlanEndReasons,
  firstCoreGroupDue,
  icpcDecisions,
  icpcProblems,
  previousPlanCount,
  reviewDecisions,
  reviewProblems,
  s47InProgress,
  s47Outcomes,
  strategyOutcomes,
} from "../../domain/protection-rules.ts";
import { isOverdue } from "../../domain/timescales.ts";
import type { Db } from "../../platform/database.ts";
import type { RouteResult } from "../../platform/routes.ts";
import type { VisiblePerson } from "../people/queries.ts";
import { blockingProblem, choiceItems, type Form } from "./form-support.ts";
import { openPlanOf, openReferralOf, protectionRecord } from "./queries.ts";
import { ATTENDEE_ROWS } from "./strategy.ts";

/** Attendees are listed by agency in the code list's order: children's services, police, health... */
const agencyRank = (kind: string) => {
  const rank = organisationKinds.findIndex((k) => k.code === kind);
  return rank === -1 ? organisationKinds.length : rank;
};

const nameOf = (person: VisiblePerson) => `${person.given_name} ${person.family_name}`;

export async function protectionPage(
  db: Db,
  person: VisiblePerson,
  now: Date,
  canRecord: boolean,
): Promise<RouteResult> {
  const today = todayIn(now);
  const record = await protectionRecord(db, person.id);
  const referral = await openReferralOf(db, person.id);
  const plans = record.plans.map((p) => ({ startDate: p.start_date, endDate: p.end_date }));
  return {
    view: "protection/views/protection.njk",
    data: {
      title: `Child protection: ${nameOf(person)}`,
      person,
      canRecord,
      hasOpenReferral: referral !== undefined,
      discussions: record.discussions.map((d) => {
        const attendees = record.attendees
          .filter((a) => a.strategy_discussion_id === d.id)
          .sort((a, b) => agencyRank(a.agency_kind) - agencyRank(b.agency_kind))
          .map((a) => ({ ...a, agency: agencyLabel(a.agency_kind) }));
        return {
          ...d,
          outcomeLabel: codeLabel(strategyOutcomes, d.outcome),
          attendees,
          allPartners: allStatutoryPartners(attendees.map((a) => a.agency_kind)),
        };
      }),
      enquiries: record.enquiries.map((s) => {
        const awaiting = s47InProgress({ outcome: s.outcome, hasIcpc: s.has_icpc });
        return {
          ...s,
          outcomeLabel: s.outcome ? codeLabel(s47Outcomes, s.outcome) : undefined,
          icpcOverdue: awaiting && isOverdue(s.icpc_due_on, today),
          canComplete: canRecord && s.outcome === null,
          canHoldIcpc: canRecord && s.outcome === "icpc" && !s.has_icpc,
        };
      }),
      conferences: record.conferences.map((c) => ({
        ...c,
        kindLabel: c.kind === "initial" ? "Initial" : "Review",
        decisionLabel: codeLabel([...icpcDecisions, ...reviewDecisions], c.decision),
        categoryLabel: c.category ? categoryLabel(c.category) : undefined,
        late: c.held_on > c.due_on,
      })),
      plans: record.plans.map((p) => {
        const open = p.end_date === null;
        const coreGroups = record.coreGroups.filter((g) => g.cp_plan_id === p.id);
        const coreGroupDueOn = firstCoreGroupDue(p.start_date);
        return {
          ...p,
          open,
          initialCategoryLabel: categoryLabel(p.initial_category),
          latestCategoryLabel: categoryLabel(p.latest_category),
          endReasonLabel: p.end_reason ? codeLabel(cpPlanEndReasons, p.end_reason) : undefined,
          reviewOverdue: open && p.next_review_due !== null && isOverdue(p.next_review_due, today),
          previousPlans: previousPlanCount(plans, { startDate: p.start_date }),
          coreGroups,
          firstCoreGroupDue: coreGroups.length === 0 ? coreGroupDueOn : undefined,
          coreGroupOverdue: open && coreGroups.length === 0 && isOverdue(coreGroupDueOn, today),
          canRecordOn: canRecord && open,
        };
      }),
    },
  };
}

export async function strategyForm(
  db: Db,
  person: VisiblePerson,
  values: Form,
): Promise<RouteResult> {
  const referral = await openReferralOf(db, person.id);
  const rows = Array.from({ length: ATTENDEE_ROWS }, (_, i) => {
    const field = (part: string) => `attendee-${String(i)}-${part}`;
    return {
      number: i + 1,
      agencyId: field("agency"),
      nameId: field("name"),
      roleId: field("role"),
      name: values[field("name")],
      role: values[field("role")],
      agencyItems: [
        { value: "", text: "Choose an agency" },
        ...choiceItems(organisationKinds, values[field("agency")], "selected"),
      ],
    };
  });
  return {
    view: "protection/views/strategy-discussion.njk",
    data: {
      title: `Record a strategy discussion for ${nameOf(person)}`,
      person,
      values,
      rows,
      outcomeItems: choiceItems(strategyOutcomes, values.outcome, "checked"),
      blocked: referral
        ? undefined
        : `${nameOf(person)} has no open episode of need. A strategy discussion can be recorded once the front door has made a referral.`,
    },
  };
}

export function s47Form(
  person: VisiblePerson,
  s47: { id: string; started_on: string; icpc_due_on: string; outcome: string | null },
  values: Form,
): RouteResult {
  return {
    view: "protection/views/s47-complete.njk",
    data: {
      title: `Record the outcome of the section 47 enquiry for ${nameOf(person)}`,
      person,
      s47,
      values,
      outcomeItems: choiceItems(s47Outcomes, values.outcome, "checked"),
      blocked:
        s47.outcome === null
          ? undefined
          : "The outcome of this section 47 enquiry is already recorded.",
    },
  };
}

export interface IcpcContext {
  id: string;
  started_on: string;
  icpc_due_on: string;
  outcome: "icpc" | "no_icpc" | null;
  has_icpc: boolean;
}

export async function initialConferenceForm(
  db: Db,
  person: VisiblePerson,
  s47: IcpcContext,
  values: Form,
  today: string,
): Promise<RouteResult> {
  const openPlan = await openPlanOf(db, person.id);
  const problems = icpcProblems({
    s47: { startedOn: s47.started_on, outcome: s47.outcome, hasIcpc: s47.has_icpc },
    heldOn: null,
    today,
    decision: null,
    openPlanSince: openPlan?.start_date ?? null,
  });
  return {
    view: "protection/views/conference.njk",
    data: {
      title: `Record the initial child protection conference for ${nameOf(person)}`,
      person,
      kind: "initial",
      s47,
      values,
      decisionItems: choiceItems(icpcDecisions, values.decision, "checked"),
      categoryItems: choiceItems(categoriesOfAbuse, values.category, "checked"),
      blocked: blockingProblem(problems),
    },
  };
}

export interface ReviewContext {
  id: string;
  start_date: string;
  end_date: string | null;
  latest_category: string;
  next_review_due: string | null;
  last_review_on: string | null;
  version: number;
}

export function reviewConferenceForm(
  person: VisiblePerson,
  plan: ReviewContext,
  values: Form,
  today: string,
): RouteResult {
  const problems = reviewProblems({
    plan: { startDate: plan.start_date, endDate: plan.end_date, lastReviewOn: plan.last_review_on },
    heldOn: null,
    today,
  });
  return {
    view: "protection/views/conference.njk",
    data: {
      title: `Record a child protection review conference for ${nameOf(person)}`,
      person,
      kind: "review",
      plan: { ...plan, latestCategoryLabel: categoryLabel(plan.latest_category) },
      values,
      decisionItems: choiceItems(reviewDecisions, values.decision, "checked"),
      categoryItems: choiceItems(
        categoriesOfAbuse,
        values.category ?? plan.latest_category,
        "checked",
      ),
      endReasonItems: choiceItems(cpPlanEndReasons, values.endReason, "checked"),
      blocked: blockingProblem(problems),
    },
  };
}

export function coreGroupForm(
  person: VisiblePerson,
  plan: { id: string; start_date: string; end_date: string | null },
  values: Form,
): RouteResult {
  return {
    view: "protection/views/core-group.njk",
    data: {
      title: `Record a core group meeting for ${nameOf(person)}`,
      person,
      plan: { ...plan, firstCoreGroupDue: firstCoreGroupDue(plan.start_date) },
      values,
    },
  };
}
