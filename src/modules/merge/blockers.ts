/**
 * What stops two records being merged, each saying what to resolve first (decision 0024):
 * identifiers that disagree, a restricted record with an unrestricted one, and the "one at a
 * time" rules a merge would break (one open case, one open plan of each kind, one looked-after
 * episode at a time, one safety plan, one place on a panel meeting's agenda).
 */
import { sql } from "kysely";
import type { Db } from "../../platform/database.ts";

export interface MergeSide {
  id: string;
  nhs_number: string | null;
  upn: string | null;
  restricted: boolean;
}

/** Both records have a row of this table matching `where` (SQL over alias `t`). */
async function both(db: Db, table: string, where: string, a: string, b: string) {
  const result = await sql<{ n: number }>`select count(distinct t.person_id)::int as n
    from ${sql.table(table)} t
    where t.person_id in (${a}, ${b}) and ${sql.raw(where)}`.execute(db);
  return (result.rows[0]?.n ?? 0) === 2;
}

export async function mergeBlockers(db: Db, a: MergeSide, b: MergeSide): Promise<string[]> {
  const problems: string[] = [];
  if (a.nhs_number && b.nhs_number && a.nhs_number !== b.nhs_number) {
    problems.push(
      "The records have different NHS numbers. Check which is right and correct the other record first.",
    );
  }
  if (a.upn && b.upn && a.upn !== b.upn) {
    problems.push(
      "The records have different unique pupil numbers. Check with the school and correct the wrong one first.",
    );
  }
  if (a.restricted !== b.restricted) {
    problems.push(
      "One record is restricted and the other is not. Ask whoever restricted it whether both should be restricted first.",
    );
  }
  const open: [string, string][] = [
    ["referral", "an open case (referral). Close one of the cases first"],
    ["cp_plan", "an open child protection plan. End one of the plans first"],
    ["cin_plan", "an open child in need plan. End one of the plans first"],
    ["early_help_episode", "open early help. End one of the early help episodes first"],
    ["cla_episode", "an open looked-after episode. End one of the episodes first"],
  ];
  for (const [table, what] of open) {
    const column = table === "referral" ? "closed_on" : "end_date";
    if (await both(db, table, `t.${column} is null`, a.id, b.id)) {
      problems.push(`Both records have ${what}.`);
    }
  }
  const overlap = await sql<{ n: number }>`select count(*)::int as n
    from cla_episode x join cla_episode y on x.person_id = ${a.id} and y.person_id = ${b.id}
    where daterange(x.start_date, x.end_date, '[)') && daterange(y.start_date, y.end_date, '[)')`.execute(
    db,
  );
  if ((overlap.rows[0]?.n ?? 0) > 0) {
    problems.push(
      "Both records have looked-after episodes over the same dates. Correct the episodes on one record first, so the SSDA903 return counts the child once.",
    );
  }
  if (await both(db, "safety_plan", "true", a.id, b.id)) {
    problems.push(
      "Both records have a safety plan. Agree one plan with the young person and remove the other first.",
    );
  }
  const sameSection = await sql<{ n: number }>`select count(*)::int as n
    from workbook_section x join workbook_section y
      on y.workbook_id = x.workbook_id and y.discipline = x.discipline
    where x.person_id = ${a.id} and y.person_id = ${b.id}`.execute(db);
  if ((sameSection.rows[0]?.n ?? 0) > 0) {
    problems.push(
      "Both records have a section of the same discipline in one family's Workbook. Bring the sections together on one record first.",
    );
  }
  const sameMeeting = await sql<{ n: number }>`select count(*)::int as n
    from panel_agenda_item x join panel_agenda_item y on y.meeting_id = x.meeting_id
    where x.person_id = ${a.id} and y.person_id = ${b.id}`.execute(db);
  if ((sameMeeting.rows[0]?.n ?? 0) > 0) {
    problems.push(
      "Both records are on the agenda of the same panel meeting. Take one off the agenda first.",
    );
  }
  return problems;
}
