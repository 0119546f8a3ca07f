/**
 * A looked-after child's status as an unaccompanied asylum-seeking child and the date it
 * ceased (the SSDA903's UASC table; decision 0037): a form on the looked-after pages for whoever
 * may record on the child. The rules are src/domain/uasc.ts; a change is added to the chronology
 * in the same transaction.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { formatDate, todayIn } from "../../domain/dates.ts";
import { checkUasc } from "../../domain/uasc.ts";
import { AppError } from "../../platform/errors.ts";
import { addFormRoute, type FormValues } from "../../platform/form-route.ts";
import { dateParts } from "../../platform/forms.ts";
import {
  actorOf,
  addRoute,
  type AppServices,
  type RouteContext,
  type RouteResult,
} from "../../platform/routes.ts";
import { dateInput, PersonParams, yesNo } from "../../platform/schemas.ts";
import { recordEvent } from "../chronology/record.ts";
import type { VisiblePerson } from "../people/queries.ts";
import { getPersonToRecordOn } from "../people/routes.ts";
import { STALE_MESSAGE } from "./common.ts";
import { lockChild } from "./queries.ts";

const UascForm = z.object({
  uasc: yesNo("is or was the child an unaccompanied asylum-seeking child", { required: true }),
  ceasedOn: dateInput("the date the status ceased"),
  version: z.coerce.number().int(),
});

function uascPage(person: VisiblePerson, values: FormValues): RouteResult {
  return {
    view: "looked-after/views/uasc.njk",
    data: {
      title: "Unaccompanied asylum-seeking child",
      person,
      values,
      uascItems: [
        { value: "yes", text: "Yes", checked: values.uasc === "yes" },
        { value: "no", text: "No", checked: values.uasc === "no" },
      ],
    },
  };
}

function savedValues(person: VisiblePerson): FormValues {
  return {
    uasc: person.uasc ? "yes" : "no",
    ...dateParts("ceasedOn", person.uasc_ceased_on),
    version: String(person.version),
  };
}

async function saveUasc(
  ctx: RouteContext,
  person: VisiblePerson,
  body: z.output<typeof UascForm>,
): Promise<RouteResult> {
  const actor = actorOf(ctx);
  const status = { uasc: body.uasc === true, ceasedOn: body.ceasedOn };
  const problems = checkUasc(status, { dateOfBirth: person.date_of_birth }, todayIn(ctx.now));
  if (problems.length > 0) {
    throw new AppError(
      "validation",
      "Check the UASC status",
      problems.map((p) => ({
        field: p.field === "ceasedOn" ? "ceasedOn-day" : p.field,
        message: p.message,
      })),
    );
  }
  await lockChild(ctx.db, person.id);
  const updated = await ctx.db
    .updateTable("person")
    .set({
      uasc: status.uasc,
      uasc_ceased_on: status.ceasedOn,
      version: person.version + 1,
      updated_at: ctx.now,
    })
    .where("id", "=", person.id)
    .where("version", "=", body.version)
    .executeTakeFirst();
  if (updated.numUpdatedRows !== 1n) throw new AppError("conflict", STALE_MESSAGE);
  const changed = status.uasc !== person.uasc || status.ceasedOn !== person.uasc_ceased_on;
  if (changed) {
    await recordEvent(ctx.db, actor, {
      personId: person.id,
      occurredOn: status.ceasedOn ?? todayIn(ctx.now),
      kind: "uasc_status",
      summary: !status.uasc
        ? "Recorded as not an unaccompanied asylum-seeking child"
        : status.ceasedOn
          ? `Unaccompanied asylum-seeking child status ceased on ${formatDate(status.ceasedOn)}`
          : "Recorded as an unaccompanied asylum-seeking child",
      subject: { type: "person", id: person.id },
    });
  }
  ctx.audit({
    subjectType: "person",
    subjectId: person.id,
    summary: { fields: ["uasc", "uasc_ceased_on"], changed },
  });
  return { redirect: `/people/${person.id}/looked-after` };
}

export function registerUascRoutes(app: FastifyInstance, services: AppServices): void {
  const url = "/people/:id/looked-after/uasc";
  addRoute(app, services, {
    method: "GET",
    url,
    permission: "journey.record",
    audit: "cla.view",
    personParam: "id",
    params: PersonParams,
    handler: async (_request, _reply, ctx, { params }) => {
      const person = await getPersonToRecordOn(ctx, params.id);
      return uascPage(person, savedValues(person));
    },
  });

  addFormRoute(app, services, {
    url,
    permission: "journey.record",
    audit: "cla.record",
    personParam: "id",
    params: PersonParams,
    body: UascForm,
    load: (ctx, params) => getPersonToRecordOn(ctx, params.id),
    page: (_ctx, person, values) => uascPage(person, values),
    save: (ctx, person, body) => saveUasc(ctx, person, body),
  });
}
