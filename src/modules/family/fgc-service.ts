/**
 * Family Group Conferences (as in Leeds Family Valued): a referral names the reason, the
 * independent coordinator and the family network invited; the conference then records when it
 * was held, the network, and whether the family agreed a plan of their own, in their words.
 * Each is a chronology event on every child of the family.
 */
import { todayIn } from "../../domain/dates.ts";
import type { Db } from "../../platform/database.ts";
import { AppError } from "../../platform/errors.ts";
import { FormReader } from "../../platform/forms.ts";
import { actorOf, type RouteContext } from "../../platform/routes.ts";
import { recordOnChildren, type VisibleFamily, type Workbook } from "./family.ts";

type Form = Record<string, unknown>;

export interface FamilyGroupConference {
  id: string;
  referredOn: string;
  reason: string;
  coordinator: string;
  /** One person of the family network per entry. */
  network: string[];
  networkText: string;
  /** Who came to the conference, one per entry. */
  attended: string[];
  attendedText: string;
  heldOn: string | null;
  planAgreed: boolean | null;
  familyPlan: string;
  reviewOn: string | null;
  referredByName: string;
  version: number;
}

function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

function baseQuery(db: Db, workbookId: string) {
  return db
    .selectFrom("family_group_conference as c")
    .innerJoin("app_user as u", "u.id", "c.referred_by")
    .selectAll("c")
    .select("u.display_name")
    .where("c.workbook_id", "=", workbookId);
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>["execute"]>>[number];

function conferenceOf(r: Row): FamilyGroupConference {
  return {
    id: r.id,
    referredOn: r.referred_on,
    reason: r.reason,
    coordinator: r.coordinator,
    network: lines(r.network_invited),
    networkText: r.network_invited,
    attended: lines(r.network_attended),
    attendedText: r.network_attended,
    heldOn: r.held_on,
    planAgreed: r.plan_agreed,
    familyPlan: r.family_plan,
    reviewOn: r.review_on,
    referredByName: r.display_name,
    version: r.version,
  };
}

/** The Workbook's conferences, newest referral first. */
export async function conferencesOf(db: Db, workbookId: string): Promise<FamilyGroupConference[]> {
  const rows = await baseQuery(db, workbookId)
    .orderBy("c.referred_on", "desc")
    .orderBy("c.updated_at", "desc")
    .execute();
  return rows.map(conferenceOf);
}

export async function conferenceIn(
  db: Db,
  workbookId: string,
  id: string,
): Promise<FamilyGroupConference | undefined> {
  const row = await baseQuery(db, workbookId).where("c.id", "=", id).executeTakeFirst();
  return row && conferenceOf(row);
}

/** A referral for a conference. */
export async function referForConference(
  ctx: RouteContext,
  family: VisibleFamily,
  workbook: Workbook,
  form: Form,
): Promise<void> {
  const actor = actorOf(ctx);
  const reader = new FormReader(form);
  const referredOn = reader.date("referredOn", "the referral date", {
    required: true,
    notAfter: todayIn(ctx.now),
  });
  const reason = reader.text("reason", "the reason for the referral", {
    required: true,
    max: 5000,
  });
  const coordinator = reader.text("coordinator", "the coordinator's name", {
    required: true,
    max: 200,
  });
  const network = reader.text("networkInvited", "the family network invited", { max: 5000 });
  reader.done();
  if (!referredOn) throw new Error("validated form lost a value");
  const saved = await ctx.db
    .insertInto("family_group_conference")
    .values({
      la_id: actor.laId,
      workbook_id: workbook.id,
      referred_on: referredOn,
      reason,
      coordinator,
      network_invited: lines(network).join("\n"),
      referred_by: actor.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordOnChildren(ctx.db, actor, family, {
    occurredOn: referredOn,
    kind: "fgc_referred",
    summary: "Referred for a Family Group Conference",
    subject: { type: "family_group_conference", id: saved.id },
  });
  ctx.audit({ subjectType: "family_group_conference", subjectId: saved.id });
}

/** The conference held on a referral; refused as stale once recorded or changed meanwhile. */
export async function recordConference(
  ctx: RouteContext,
  family: VisibleFamily,
  conference: FamilyGroupConference,
  form: Form,
): Promise<void> {
  const actor = actorOf(ctx);
  const reader = new FormReader(form);
  const version = reader.version();
  const heldOn = reader.date("heldOn", "the date of the conference", {
    required: true,
    notAfter: todayIn(ctx.now),
    notBefore: { date: conference.referredOn, what: "the referral date" },
  });
  const attended = reader.text("network", "who came from the family network", { max: 5000 });
  const planAgreed = reader.yesNo("planAgreed", "did the family agree a plan?", {
    required: true,
  });
  const familyPlan = reader.text("familyPlan", "the family's plan", {
    required: planAgreed === true,
    max: 20_000,
  });
  const reviewOn = reader.date("reviewOn", "the review date", { required: planAgreed === true });
  if (heldOn && reviewOn && reviewOn <= heldOn) {
    reader.fail("reviewOn-day", "The review date must be after the date of the conference");
  }
  reader.done();
  if (!heldOn || planAgreed === null) throw new Error("validated form lost a value");
  const updated = await ctx.db
    .updateTable("family_group_conference")
    .set({
      held_on: heldOn,
      network_attended: lines(attended).join("\n"),
      plan_agreed: planAgreed,
      family_plan: familyPlan,
      review_on: reviewOn,
      version: version + 1,
      updated_at: ctx.now,
    })
    .where("id", "=", conference.id)
    .where("version", "=", version)
    .where("held_on", "is", null)
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) {
    throw new AppError(
      "conflict",
      "Someone else recorded or changed this conference while you were editing. Nothing you entered has been saved: check the conference shown.",
    );
  }
  await recordOnChildren(ctx.db, actor, family, {
    occurredOn: heldOn,
    kind: "fgc_held",
    summary: planAgreed
      ? "Family Group Conference held: the family agreed a plan"
      : "Family Group Conference held: no family plan agreed",
    subject: { type: "family_group_conference", id: conference.id },
  });
  ctx.audit({
    subjectType: "family_group_conference",
    subjectId: conference.id,
    summary: { planAgreed },
  });
}
