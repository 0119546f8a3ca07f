/**
 * Reads for the care leaver page and the personal adviser's "My work". The page's caller has
 * already checked the actor may see the young person; the work list composes personVisible.
 */
import { sql } from "kysely";
import type { Actor } from "../../access/actor.ts";
import { personalAdviserRoles } from "../../access/care-leavers.ts";
import { personVisible } from "../../access/visibility.ts";
import { contactDue, lookedAfterOn, type ContactDue } from "../../domain/care-leavers.ts";
import type { Db } from "../../platform/database.ts";

export async function careLeaverRecordOf(db: Db, personId: string) {
  const [statuses, advisers, plans, reviews, contacts] = await Promise.all([
    db
      .selectFrom("care_leaver_status as s")
      .innerJoin("app_user as u", "u.id", "s.recorded_by")
      .select([
        "s.id",
        "s.status",
        "s.effective_on",
        "s.derived_status",
        "s.reason",
        "u.display_name as recorded_by",
      ])
      .where("s.person_id", "=", personId)
      .orderBy("s.effective_on", "desc")
      .orderBy("s.recorded_at", "desc")
      .execute(),
    db
      .selectFrom("personal_adviser as a")
      .innerJoin("app_user as u", "u.id", "a.adviser_id")
      .select(["a.id", "a.adviser_id", "u.display_name as adviser", "a.start_date", "a.end_date"])
      .where("a.person_id", "=", personId)
      .orderBy("a.start_date", "desc")
      .execute(),
    db
      .selectFrom("pathway_plan")
      .select(["id", "agreed_on"])
      .where("person_id", "=", personId)
      .orderBy("agreed_on", "desc")
      .execute(),
    db
      .selectFrom("pathway_plan_review")
      .select(["id", "pathway_plan_id", "held_on"])
      .where("person_id", "=", personId)
      .orderBy("held_on", "desc")
      .execute(),
    db
      .selectFrom("care_leaver_contact as c")
      .innerJoin("app_user as u", "u.id", "c.recorded_by")
      .select([
        "c.id",
        "c.contact_on",
        "c.birthday_age",
        "c.in_touch",
        "c.activity",
        "c.accommodation",
        "u.display_name as recorded_by",
      ])
      .where("c.person_id", "=", personId)
      .orderBy("c.contact_on", "desc")
      .execute(),
  ]);
  return { statuses, advisers, plans, reviews, contacts };
}

/** The council's practitioners who could be appointed, for the form's list (by name). */
export async function adviserChoices(db: Db, laId: string) {
  return db
    .selectFrom("app_user as u")
    .innerJoin("organisation as o", "o.id", "u.organisation_id")
    .select(["u.id", "u.display_name"])
    .where("u.la_id", "=", laId)
    .where("u.active", "=", true)
    .where("o.kind", "=", "la_childrens_services")
    .where("u.role", "in", [...personalAdviserRoles])
    .orderBy("u.display_name")
    .execute();
}

export interface DueContact extends ContactDue {
  personId: string;
  name: string;
}

/**
 * The keeping-in-touch contacts due for the young people the actor is personal adviser to now
 * (and may see): a birthday's window is open and no contact is recorded for it. Two queries,
 * whatever the number of young people.
 */
export async function contactsDueFor(
  db: Db,
  actor: Actor,
  now: Date,
  today: string,
): Promise<DueContact[]> {
  const people = await db
    .selectFrom("personal_adviser as a")
    .innerJoin("person", "person.id", "a.person_id")
    .select([
      "person.id",
      sql<string>`person.given_name || ' ' || person.family_name`.as("name"),
      "person.date_of_birth",
    ])
    .where("a.adviser_id", "=", actor.userId)
    .where("a.la_id", "=", actor.laId)
    .where("a.end_date", "is", null)
    .where("person.date_of_birth", "is not", null)
    // Looked after now: the child's visits are due instead (a contact would be refused).
    .where(
      sql<boolean>`not exists (select 1 from cla_episode e
      where e.person_id = person.id and e.end_date is null)`,
    )
    .where(personVisible(actor, now))
    .execute();
  if (people.length === 0) return [];
  const ids = sql<boolean>`person_id = any(${people.map((p) => p.id)}::uuid[])`;
  const [recorded, episodes] = await Promise.all([
    db.selectFrom("care_leaver_contact").select(["person_id", "birthday_age"]).where(ids).execute(),
    db
      .selectFrom("cla_episode")
      .select(["person_id", "start_date", "end_date", "legal_status"])
      .where(ids)
      .execute(),
  ]);
  return people.flatMap((p) => {
    if (!p.date_of_birth) return [];
    const ages = recorded.filter((r) => r.person_id === p.id).map((r) => r.birthday_age);
    const due = contactDue(p.date_of_birth, today, ages);
    if (!due) return [];
    // Still looked after on a 17th or 18th birthday: the return does not ask (DfE rule 1007).
    const care = episodes
      .filter((e) => e.person_id === p.id)
      .map((e) => ({ startDate: e.start_date, endDate: e.end_date, legalStatus: e.legal_status }));
    if (due.age <= 18 && due.birthday <= today && lookedAfterOn(care, due.birthday)) return [];
    return [{ ...due, personId: p.id, name: p.name }];
  });
}
