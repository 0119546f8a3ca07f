import type { FastifyRequest } from "fastify";
import type { AuditKind } from "../../audit/kinds.ts";
import { can, type Actor } from "../../access/actor.ts";
import { mayAddToRecord } from "../../access/recording.ts";
import type { CodeList } from "../../domain/code-lists.ts";
import { notFound } from "../../platform/errors.ts";
import { isUuid } from "../../platform/routes.ts";
import type { VisiblePerson } from "../people/queries.ts";

export type Form = Record<string, unknown>;

/** The audit kinds of a record type's routes, and the child's page its saves return to. */
export interface Area {
  /** Audit kind for reading and for opening a form. */
  view: AuditKind;
  /** Audit kind for saving. */
  record: AuditKind;
  /** Saves return to /people/:id/<page>. */
  page: string;
}

export const LOOKED_AFTER: Area = { view: "cla.view", record: "cla.record", page: "looked-after" };
export const MISSING: Area = { view: "missing.view", record: "missing.record", page: "missing" };

export { actorOf } from "../../platform/routes.ts";

/** The :episodeId of a URL; anything that is not an id is simply not found. */
export function episodeIdFrom(request: FastifyRequest): string {
  const { episodeId } = request.params as { episodeId: unknown };
  if (!isUuid(episodeId)) throw notFound("Episode");
  return episodeId;
}

/** Whether to offer the forms: the permission, and not on emergency access alone. */
export function mayRecord(actor: Actor, person: VisiblePerson): boolean {
  return can(actor, "journey.record") && mayAddToRecord(person.via_break_glass);
}

/** "Full care order (C2)": workers know both the words and the codes of the return. */
export function codeText(list: CodeList, code: string | null): string {
  if (code === null) return "";
  const label = list.find((e) => e.code === code)?.label;
  return label ? `${label} (${code})` : code;
}

/** Select items for a code list, with an empty first choice. */
export function selectItems(list: CodeList, selected: unknown, empty = "Choose") {
  return [
    { value: "", text: empty },
    ...list.map((e) => ({
      value: e.code,
      text: `${e.code}: ${e.label}`,
      selected: e.code === selected,
    })),
  ];
}

/** Radio items for a code list. */
export function radioItems(list: CodeList, checked: unknown) {
  return list.map((e) => ({
    value: e.code,
    text: `${e.label} (${e.code})`,
    checked: e.code === checked,
  }));
}

export const STALE_MESSAGE =
  "Someone else changed this record after you opened the form, so nothing was saved. Check what is recorded now and try again.";
