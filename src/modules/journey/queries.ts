import { todayIn } from "../../domain/dates.ts";
import { sql } from "kysely";
import type { Actor } from "../../access/actor.ts";
import { personVisible } from "../../access/visibility.ts";
import type { Db } from "../../platform/database.ts";

/**
 * Re-referral, computed: an earlier referral for the same child within the 12 months before
 * this one (decision 0010). `alias` names the referral row.
 */
export function reReferral(alias: string) {
  const ref = (column: string) => sql.ref(`${alias}.${column}`);
  return sql<boolean>`exists (select 1 from referral prior
    where prior.person_id = ${ref("person_id")} and prior.id <> ${ref("id")}
      and prior.referral_date < ${ref("referral_date")}
      and prior.referral_date >= ${ref("referral_date")} - interval '12 months')`;
}

/** Of the given people, those the actor may see (for multi-child forms and lists). */
export async function visiblePeople(db: Db, actor: Actor, now: Date, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom("person")
    .select(["person.id", "given_name", "family_name", "date_of_birth"])
    .where("person.id", "in", ids)
    .where(personVisible(actor, now))
    .orderBy("date_of_birth", "desc")
    .execute();
}

/** The children of the person's families (and the person), for "which children" on a contact. */
export async function familyChildren(db: Db, actor: Actor, now: Date, personId: string) {
  const today = todayIn(now);
  const ids = await db
    .selectFrom("family_member as fm1")
    .innerJoin("family_member as fm2", "fm2.family_id", "fm1.family_id")
    .innerJoin("person", "person.id", "fm2.person_id")
    .select("person.id")
    .where("fm1.person_id", "=", personId)
    .where((eb) =>
      eb.or([
        eb("person.date_of_birth", "is", null),
        eb("person.date_of_birth", ">", sql<string>`(${today}::date - interval '18 years')::date`),
      ]),
    )
    .execute();
  return visiblePeople(db, actor, now, [...new Set([personId, ...ids.map((r) => r.id)])]);
}

/** A contact with the children the actor may see; undefined if they may see none of them. */
export async function findContact(db: Db, actor: Actor, now: Date, contactId: string) {
  const contact = await db
    .selectFrom("contact")
    .innerJoin("app_user as recorder", "recorder.id", "contact.recorded_by")
    .leftJoin("app_user as decider", "decider.id", "contact.decided_by")
    .selectAll("contact")
    .select([
      "recorder.display_name as recorded_by_name",
      "decider.display_name as decided_by_name",
    ])
    .where("contact.id", "=", contactId)
    .where("contact.la_id", "=", actor.laId)
    .executeTakeFirst();
  if (!contact) return undefined;
  const children = await db
    .selectFrom("contact_child as cc")
    .innerJoin("person", "person.id", "cc.person_id")
    .leftJoin("referral as r", "r.id", "cc.referral_id")
    .select([
      "person.id",
      "person.given_name",
      "person.family_name",
      "person.date_of_birth",
      "cc.referral_id",
      "r.referral_date",
    ])
    .select(
      sql<boolean | null>`case when r.id is null then null else ${reReferral("r")} end`.as(
        "re_referral",
      ),
    )
    .where("cc.contact_id", "=", contactId)
    .where(personVisible(actor, now))
    .orderBy("person.date_of_birth", "desc")
    .execute();
  if (children.length === 0) return undefined;
  return { ...contact, children };
}
export type ContactWithChildren = NonNullable<Awaited<ReturnType<typeof findContact>>>;

/** Contacts awaiting a decision about at least one child the actor may see, oldest due first. */
export async function contactsAwaitingDecision(db: Db, actor: Actor, now: Date) {
  return db
    .selectFrom("contact")
    .innerJoin("contact_child as cc", "cc.contact_id", "contact.id")
    .innerJoin("person", "person.id", "cc.person_id")
    .select([
      "contact.id",
      "contact.received_on",
      "contact.decision_due_on",
      "contact.source",
      sql<string>`string_agg(person.given_name || ' ' || person.family_name, ', '
        order by person.date_of_birth desc)`.as("children"),
      sql<string[]>`array_agg(person.id)`.as("person_ids"),
    ])
    .where("contact.la_id", "=", actor.laId)
    .where("contact.decision", "is", null)
    .where(personVisible(actor, now))
    .groupBy("contact.id")
    .orderBy("contact.decision_due_on")
    .orderBy("contact.received_on")
    .limit(200)
    .execute();
}

/** The child's journey for the journey page: episodes, assessments, plans and early help. */
export async function journeyOf(db: Db, personId: string) {
  const [referrals, assessments, cinPlans, earlyHelp] = await Promise.all([
    db
      .selectFrom("referral as r")
      .leftJoin("contact as c", "c.id", "r.contact_id")
      .select([
        "r.id",
        "r.referral_date",
        "r.source",
        "r.primary_need",
        "r.closed_on",
        "r.closure_reason",
        "r.version",
        "c.decision",
      ])
      .select(reReferral("r").as("re_referral"))
      .where("r.person_id", "=", personId)
      .orderBy("r.referral_date", "desc")
      .execute(),
    db
      .selectFrom("assessment as a")
      .leftJoin("app_user as u", "u.id", "a.authorised_by")
      .selectAll("a")
      .select("u.display_name as authorised_by_name")
      .where("a.person_id", "=", personId)
      .orderBy("a.started_on", "desc")
      .execute(),
    db
      .selectFrom("cin_plan")
      .selectAll()
      .where("person_id", "=", personId)
      .orderBy("start_date", "desc")
      .execute(),
    db
      .selectFrom("early_help_episode")
      .selectAll()
      .where("person_id", "=", personId)
      .orderBy("start_date", "desc")
      .execute(),
  ]);
  return { referrals, assessments, cinPlans, earlyHelp };
}
