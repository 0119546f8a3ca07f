/**
 * A council's own measures (settings.manage: the system administrator). The definition is pasted
 * as JSON in the same form as the built-ins and checked by validateInstrument, so a measure that
 * could score wrongly (gaps between bands, an alert that can never fire) is refused here rather
 * than discovered when a worker scores it. A built-in cannot be replaced and a code and version,
 * once added, is never redefined: results store only the code and version.
 */
import type { FastifyInstance } from "fastify";
import {
  measureDisciplineLabels,
  measureDisciplines,
  type MeasureDiscipline,
} from "../../domain/family-safeguarding.ts";
import { validateInstrument, type Instrument } from "../../domain/instruments/instrument.ts";
import { AppError } from "../../platform/errors.ts";
import { FormReader, saveForm } from "../../platform/forms.ts";
import {
  actorOf,
  addRoute,
  type AppServices,
  type RouteContext,
  type RouteResult,
} from "../../platform/routes.ts";
import { allInstruments, isBuiltInCode, type AvailableInstrument } from "./instruments.ts";
import { formOf, type Form } from "./measure-context.ts";

const DEFINITION_MAX = 200_000;

const disciplineList = measureDisciplines.map((code) => ({
  code,
  label: measureDisciplineLabels[code],
}));

function describeScoring(instrument: Instrument): string {
  return instrument.scoring.kind === "sum"
    ? "The total of the answer values"
    : `The number of answers valued ${String(instrument.scoring.value)}`;
}

function describe(entry: AvailableInstrument) {
  const { instrument } = entry;
  return {
    ...entry,
    disciplineLabel: measureDisciplineLabels[entry.discipline],
    scoring: describeScoring(instrument),
    items: instrument.items.map((item) => ({
      id: item.id,
      label: item.label,
      options: item.options.map((o) => `${String(o.value)}: ${o.label}`).join("; "),
    })),
  };
}

async function instrumentsPage(
  ctx: RouteContext,
  values: Form,
  added: string | null = null,
): Promise<RouteResult> {
  const instruments = await allInstruments(ctx.db, actorOf(ctx).laId);
  return {
    view: "family/views/instruments.njk",
    data: {
      title: "Scored measures",
      added,
      builtIns: instruments.filter((i) => i.builtIn).map(describe),
      own: instruments.filter((i) => !i.builtIn).map(describe),
      disciplines: disciplineList.map((d) => ({
        value: d.code,
        text: d.label,
        checked: values.discipline === d.code,
      })),
      values,
    },
  };
}

/** Reads the pasted definition, naming every problem validateInstrument finds. */
function readDefinition(f: FormReader): Instrument | null {
  const text = f.raw("definition");
  if (!text) {
    f.fail("definition", "Paste the measure's definition");
    return null;
  }
  if (text.length > DEFINITION_MAX) {
    f.fail("definition", `The definition must be ${String(DEFINITION_MAX)} characters or fewer`);
    return null;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message : "it could not be read";
    f.fail("definition", `The definition is not valid JSON: ${why}`);
    return null;
  }
  const checked = validateInstrument(data);
  if (!checked.ok) {
    // Every problem in the summary, not just the first (fail keeps one per field).
    for (const message of checked.errors) {
      f.errors.push({ field: "definition", message: `Definition: ${message}` });
    }
    return null;
  }
  if (isBuiltInCode(checked.instrument.id)) {
    f.fail(
      "definition",
      `"${checked.instrument.id}" is the code of a built-in measure, which cannot be replaced: give your measure its own code`,
    );
    return null;
  }
  return checked.instrument;
}

export function registerInstrumentRoutes(app: FastifyInstance, services: AppServices): void {
  addRoute(app, services, {
    method: "GET",
    url: "/admin/instruments",
    permission: "settings.manage",
    audit: "instrument.view",
    handler: async (request, _reply, ctx) => {
      const { added } = request.query as { added?: unknown };
      return instrumentsPage(ctx, {}, typeof added === "string" ? added : null);
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/admin/instruments",
    permission: "settings.manage",
    audit: "instrument.manage",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const form = formOf(request.body);
      return saveForm(
        ctx,
        async () => {
          const f = new FormReader(form);
          const instrument = readDefinition(f);
          const discipline: MeasureDiscipline | null = f.code(
            "discipline",
            disciplineList,
            "the discipline whose practitioners score this measure",
            { required: true },
          );
          f.done();
          if (!instrument || !discipline) throw new Error("validated form lost a value");
          const saved = await ctx.db
            .insertInto("measure_instrument")
            .values({
              la_id: actor.laId,
              code: instrument.id,
              version: instrument.version,
              discipline,
              definition: JSON.stringify(instrument),
              added_by: actor.userId,
            })
            .onConflict((oc) => oc.columns(["la_id", "code", "version"]).doNothing())
            .returning("id")
            .executeTakeFirst();
          if (!saved) {
            throw new AppError(
              "validation",
              `Version ${instrument.version} of "${instrument.id}" has already been added`,
              [
                {
                  field: "definition",
                  message: `Version ${instrument.version} of "${instrument.id}" has already been added: give the changed measure a new version`,
                },
              ],
            );
          }
          ctx.audit({
            subjectType: "measure_instrument",
            subjectId: saved.id,
            summary: { code: instrument.id, version: instrument.version, discipline },
          });
          return { redirect: `/admin/instruments?added=${encodeURIComponent(instrument.id)}` };
        },
        () => instrumentsPage(ctx, form),
      );
    },
  });
}
