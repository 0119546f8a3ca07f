/**
 * The child's plans, current and past, for the JSON API: child protection plans (with their
 * categories of abuse and next review), child in need plans, and pathway plans for a care
 * leaver (with their reviews). Newest first within each. A care plan for a looked-after child
 * is not held as its own record in Trellis (decision 0044). The caller has checked the actor
 * may see the child.
 */
import type { Db } from "../../platform/database.ts";

export async function plansOf(db: Db, personId: string) {
  const [cp, cin, pathway, pathwayReviews] = await Promise.all([
    db
      .selectFrom("cp_plan")
      .select([
        "id",
        "start_date",
        "end_date",
        "end_reason",
        "initial_category",
        "latest_category",
        "next_review_due",
      ])
      .where("person_id", "=", personId)
      .orderBy("start_date", "desc")
      .orderBy("id", "desc")
      .execute(),
    db
      .selectFrom("cin_plan")
      .select(["id", "start_date", "end_date"])
      .where("person_id", "=", personId)
      .orderBy("start_date", "desc")
      .orderBy("id", "desc")
      .execute(),
    db
      .selectFrom("pathway_plan")
      .select(["id", "agreed_on"])
      .where("person_id", "=", personId)
      .orderBy("agreed_on", "desc")
      .orderBy("id", "desc")
      .execute(),
    db
      .selectFrom("pathway_plan_review")
      .select(["pathway_plan_id", "held_on"])
      .where("person_id", "=", personId)
      .orderBy("held_on", "desc")
      .execute(),
  ]);
  return {
    cp,
    cin,
    pathway: pathway.map((plan) => ({
      ...plan,
      reviews: pathwayReviews.filter((r) => r.pathway_plan_id === plan.id).map((r) => r.held_on),
    })),
  };
}
