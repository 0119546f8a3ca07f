/**
 * A kept run's validation report, as the viewer may see it (decision 0031): failures grouped
 * by rule, errors first, each naming the child by LA child id and (for a performance officer)
 * name, with who corrects it and where. The analyst gets the same groups with counts only.
 */
import { sql } from "kysely";
import { maySeeNamedChildren } from "../../access/returns.ts";
import type { Actor } from "../../access/actor.ts";
import { ruleByCode } from "../../domain/cin-census/rules/index.ts";
import { ruleByCode as ssda903RuleByCode } from "../../domain/ssda903/rules/index.ts";
import type { Db } from "../../platform/database.ts";
import { notFound } from "../../platform/errors.ts";
import { mayOpenRun } from "../../access/returns.ts";
import { csvCell } from "../../domain/csv.ts";
import { markStoppedRuns } from "./run-lock.ts";

/** Census fields the performance officer corrects; every other field is a journey fact. */
export const identityFields = new Set([
  "UPN",
  "FormerUPN",
  "UPNunknown",
  "Ethnicity",
  "Disability",
  "Disabilities",
  "ExpectedPersonBirthDate",
]);

export interface ReportFailure {
  position: number;
  laChildId: string | null;
  personId: string | null;
  name: string | null;
  field: string;
  value: string | null;
  crashed: string | null;
  /** 903 only: the table of the failing row and the record it came from (decision 0037). */
  table: string | null;
  recordId: string | null;
  /** Where to fix it, when the viewer may open the child. */
  href: string | null;
  /** Who corrects it: "performance officer" or the allocated worker (or their team). */
  correctedBy: string;
  answer: string | null;
}

export interface ReportGroup {
  rule: string;
  severity: "error" | "query";
  message: string;
  count: number;
  answered: number;
  failures: ReportFailure[];
}

export async function loadRun(db: Db, actor: Actor, runId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(runId)) throw notFound("Return");
  // A run left running by a process that died is marked failed when next read (decision 0040).
  await markStoppedRuns(db, { laId: actor.laId, runId });
  const run = await db
    .selectFrom("return_run as r")
    .innerJoin("app_user as u", "u.id", "r.generated_by")
    .select([
      "r.id",
      "r.la_id",
      "r.return_kind",
      "r.collection_year",
      "r.generated_at",
      "r.children",
      "r.errors",
      "r.queries",
      "r.schema_valid",
      "r.schema_errors",
      "r.status",
      "r.stage",
      "r.progress_done",
      "r.progress_total",
      "r.progress_unit",
      "r.started_at",
      "r.finished_at",
      "r.error",
      "u.display_name as generated_by_name",
    ])
    .where("r.id", "=", runId)
    .executeTakeFirst();
  if (!run || !mayOpenRun(actor, run)) throw notFound("Return");
  return run;
}
export type Run = Awaited<ReturnType<typeof loadRun>>;

/** Every failure of the run with the child's name, allocated worker and any kept answer. */
export async function reportGroups(db: Db, actor: Actor, run: Run): Promise<ReportGroup[]> {
  const named = maySeeNamedChildren(actor);
  const is903 = run.return_kind === "903";
  const definitionOf = is903 ? ssda903RuleByCode : ruleByCode;
  const rows = await db
    .selectFrom("return_failure as f")
    .leftJoin("person as p", "p.id", "f.person_id")
    .leftJoin("return_query_answer as a", (join) =>
      join
        .onRef("a.la_id", "=", "f.la_id")
        .on("a.return_kind", "=", run.return_kind)
        .onRef("a.rule", "=", "f.rule")
        .on(sql<boolean>`a.la_child_id = coalesce(f.la_child_id, '')`),
    )
    .select([
      "f.position",
      "f.rule",
      "f.severity",
      "f.person_id",
      "f.la_child_id",
      "f.field",
      "f.value",
      "f.crashed",
      "f.table_name",
      "f.record_id",
      "p.given_name",
      "p.family_name",
      "p.restricted",
      "a.reason",
      sql<string | null>`(select coalesce(u.display_name, t.name) from allocation al
        join team t on t.id = al.team_id left join app_user u on u.id = al.worker_id
        where al.person_id = f.person_id and al.end_date is null
        order by al.start_date desc limit 1)`.as("worker"),
    ])
    .where("f.run_id", "=", run.id)
    .where("f.la_id", "=", actor.laId)
    .orderBy("f.position")
    .execute();
  const groups = new Map<string, ReportGroup>();
  for (const row of rows) {
    const definition = definitionOf(row.rule);
    let group = groups.get(row.rule);
    if (!group) {
      group = {
        rule: row.rule,
        severity: row.severity,
        message: definition?.message ?? "The rule could not be run",
        count: 0,
        answered: 0,
        failures: [],
      };
      groups.set(row.rule, group);
    }
    group.count++;
    if (row.reason) group.answered++;
    if (!named) continue;
    const open = row.person_id !== null && row.restricted === false;
    group.failures.push({
      position: row.position,
      laChildId: row.la_child_id,
      personId: row.person_id,
      name: open ? `${row.given_name ?? ""} ${row.family_name ?? ""}`.trim() : null,
      field: row.field,
      value: row.value,
      crashed: row.crashed,
      table: row.table_name,
      recordId: row.record_id,
      href: !open
        ? null
        : is903
          ? `/returns/903/runs/${run.id}/children/${row.person_id ?? ""}#failure-${String(row.position)}`
          : `/returns/runs/${run.id}/children/${row.person_id ?? ""}#${row.field}`,
      // The 903's facts are the worker's: episodes, reviews, missing periods, allocations.
      correctedBy:
        !is903 && identityFields.has(row.field)
          ? "Performance officer"
          : row.worker
            ? `Allocated worker: ${row.worker}`
            : "The child's last team (not allocated)",
      answer: row.reason,
    });
  }
  return [...groups.values()].sort(
    (a, b) =>
      (a.severity === "error" ? 0 : 1) - (b.severity === "error" ? 0 : 1) ||
      a.rule.localeCompare(b.rule, "en", { numeric: true }),
  );
}

/** A complaint of the XML schema as the report shows it: naming the child, for those who may. */
export interface SchemaProblem {
  text: string;
  personId: string | null;
  href: string | null;
}

/**
 * The schema's complaints about a run's file. A performance officer sees the child each is
 * about, by LA child id and name, linked to the page where the child's census details are
 * corrected; others see the complaint and its line only.
 */
export async function schemaProblems(db: Db, actor: Actor, run: Run): Promise<SchemaProblem[]> {
  const errors = run.schema_errors.map((e) => (typeof e === "string" ? { message: e } : e));
  const named = maySeeNamedChildren(actor);
  const ids = [...new Set(errors.flatMap((e) => ("childId" in e && e.childId ? [e.childId] : [])))];
  const people =
    named && ids.length > 0
      ? await db
          .selectFrom("person")
          .select(["id", "la_child_id", "given_name", "family_name", "restricted"])
          .where("la_id", "=", run.la_id)
          .where("la_child_id", "in", ids)
          .where("merged_into", "is", null)
          .execute()
      : [];
  const byChildId = new Map(people.map((p) => [p.la_child_id, p]));
  return errors.map((e) => {
    const line =
      "line" in e && e.line !== undefined ? `line ${e.line.toLocaleString("en-GB")}` : "";
    const childId = named && "childId" in e ? e.childId : undefined;
    const person = childId === undefined ? undefined : byChildId.get(childId);
    const open = person !== undefined && !person.restricted;
    const who = childId
      ? `Child ${childId}${open ? ` (${person.given_name} ${person.family_name})` : ""}`
      : "";
    const where = [who, line].filter(Boolean).join(", ");
    return {
      text: where ? `${where}: ${e.message}` : e.message,
      personId: person?.id ?? null,
      href: open ? `/returns/runs/${run.id}/children/${person.id}` : null,
    };
  });
}

/** The final file may be downloaded when the schema accepts it, no error remains and every
 * query is answered (issue 12: errors block the download; answered queries do not). */
export function downloadBlockers(run: Run, groups: readonly ReportGroup[]): string[] {
  if (run.status !== "done") return ["The run has not finished."];
  const blockers: string[] = [];
  if (!run.schema_valid) blockers.push("The file does not pass the DfE's XML schema.");
  const errors = groups.filter((g) => g.severity === "error").reduce((n, g) => n + g.count, 0);
  if (errors > 0)
    blockers.push(
      errors === 1
        ? "1 error must be fixed and the return run again."
        : `${String(errors)} errors must be fixed and the return run again.`,
    );
  const open = groups
    .filter((g) => g.severity === "query")
    .reduce((n, g) => n + g.count - g.answered, 0);
  if (open > 0)
    blockers.push(
      open === 1
        ? "1 query must be answered or fixed."
        : `${String(open)} queries must be answered or fixed.`,
    );
  return blockers;
}

export function reportCsv(groups: readonly ReportGroup[], named: boolean): string {
  const header = named
    ? [
        "rule",
        "severity",
        "message",
        "la_child_id",
        "name",
        "field",
        "value",
        "corrected_by",
        "answer",
      ]
    : ["rule", "severity", "message", "count", "answered"];
  const lines = [header.join(",")];
  for (const g of groups) {
    if (!named) {
      lines.push([g.rule, g.severity, g.message, g.count, g.answered].map(csvCell).join(","));
      continue;
    }
    for (const f of g.failures) {
      lines.push(
        [
          g.rule,
          g.severity,
          g.message,
          f.laChildId,
          f.name,
          f.field,
          f.crashed ?? f.value,
          f.correctedBy,
          f.answer,
        ]
          .map(csvCell)
          .join(","),
      );
    }
  }
  return `${lines.join("\r\n")}\r\n`;
}
