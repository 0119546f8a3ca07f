/**
 * Partner referrals' pages (decision 0025): the partner's form and "Referrals you have made",
 * and the front door's "child to identify" page. The work is in service.ts.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { identificationScope } from "../../access/partner-referrals.ts";
import { labelFor, referralSources } from "../../domain/code-lists.ts";
import { isCalendarDate, todayIn } from "../../domain/dates.ts";
import { isOverdue } from "../../domain/timescales.ts";
import { AppError, notFound } from "../../platform/errors.ts";
import { dateParts, saveForm } from "../../platform/forms.ts";
import {
  actorOf,
  addRoute,
  isUuid,
  type AppServices,
  type RouteContext,
} from "../../platform/routes.ts";
import { contactDecisions } from "../journey/contact-decision.ts";
import { searchPeople, type PersonSearchHit } from "../people/queries.ts";
import { familyAwareOptions, parseReferralForm } from "./input.ts";
import { referralAtFrontDoorById, referralForReferrer, referralsMadeBy } from "./queries.ts";
import {
  createRecordForReferral,
  identifierMatches,
  linkReferral,
  makeReferral,
} from "./service.ts";

function referralIdFrom(request: FastifyRequest): string {
  const { referralId } = request.params as { referralId: unknown };
  if (!isUuid(referralId)) throw notFound("Referral");
  return referralId;
}

const statusLabels = {
  to_identify: "Received: awaiting a decision",
  awaiting_decision: "Received: awaiting a decision",
  decided: "Decided",
} as const;

const decisionLabel = (code: string | null) =>
  contactDecisions.find((d) => d.code === code)?.label ?? null;

export function registerReferralRoutes(app: FastifyInstance, services: AppServices): void {
  const referralForm = (values: object) => ({
    view: "referrals/views/referral-form.njk",
    data: { title: "Make a referral", values, familyAwareOptions },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/referrals/new",
    permission: "referral.make",
    audit: "referral.make.form",
    handler: () => Promise.resolve(referralForm({})),
  });

  addRoute(app, services, {
    method: "POST",
    url: "/referrals",
    permission: "referral.make",
    audit: "referral.make",
    handler: async (request, _reply, ctx) => {
      const form = (request.body ?? {}) as Record<string, unknown>;
      return saveForm(
        ctx,
        async () => {
          const input = parseReferralForm(form, todayIn(ctx.now));
          const made = await makeReferral(ctx.db, actorOf(ctx), input, ctx.now);
          ctx.audit({ subjectType: "partner_referral", subjectId: made.referralId });
          return { redirect: `/referrals/${made.referralId}?made=1` };
        },
        () => referralForm(form),
      );
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/referrals",
    permission: "referral.make",
    audit: "referral.list",
    handler: async (_request, _reply, ctx) => {
      const referrals = await referralsMadeBy(ctx.db, actorOf(ctx));
      ctx.audit({ summary: { referrals: referrals.length } });
      return {
        view: "referrals/views/referrals.njk",
        data: {
          title: "Referrals you have made",
          referrals: referrals.map((r) => ({
            ...r,
            statusLabel: statusLabels[r.status],
            decisionLabel: decisionLabel(r.decision),
          })),
        },
      };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/referrals/:referralId",
    permission: "referral.make",
    audit: "referral.view",
    handler: async (request, _reply, ctx) => {
      const referralId = referralIdFrom(request);
      ctx.audit({ subjectType: "partner_referral", subjectId: referralId });
      const referral = await referralForReferrer(ctx.db, actorOf(ctx), referralId);
      if (!referral) throw notFound("Referral");
      const query = request.query as Record<string, string | undefined>;
      return {
        view: "referrals/views/referral.njk",
        data: {
          title: "Your referral",
          referral,
          made: query.made === "1",
          statusLabel: statusLabels[referral.status],
          decisionLabel: decisionLabel(referral.decision),
          familyAwareLabel: familyAwareOptions.find((o) => o.code === referral.family_aware)?.label,
        },
      };
    },
  });

  const identifyPage = async (
    ctx: RouteContext,
    referralId: string,
    search: { name: string; dateOfBirth: string | null } | undefined,
    values: Record<string, unknown>,
  ) => {
    const actor = actorOf(ctx);
    const referral = await referralAtFrontDoorById(ctx.db, actor, referralId);
    ctx.audit({ subjectType: "partner_referral", subjectId: referralId });
    if (!referral) throw notFound("Referral");
    const name = search?.name ?? `${referral.child_given_name} ${referral.child_family_name}`;
    const dateOfBirth = search ? search.dateOfBirth : referral.child_date_of_birth;
    const byIdentifier = referral.person_id
      ? []
      : await identifierMatches(ctx.db, actor, referral, ctx.now);
    const byName = referral.person_id ? [] : await candidatesFor(ctx, name, dateOfBirth);
    const sameIdentifier = new Set(byIdentifier.map((p) => p.id));
    const candidates = [
      ...byIdentifier.map((p) => ({
        ...(byName.find((c) => c.id === p.id) ?? { ...p, restricted: false, postcode: null }),
        dateOfBirthMatches: dateOfBirth !== null && p.date_of_birth === dateOfBirth,
        identifierMatches: true,
      })),
      ...byName
        .filter((c) => !sameIdentifier.has(c.id))
        .map((c) => ({ ...c, identifierMatches: false })),
    ];
    // Each candidate appears in their access log: they were looked at as a possible match.
    ctx.audit({ personIds: candidates.map((c) => c.id) });
    return {
      view: "referrals/views/identify.njk",
      data: {
        title: "Child to identify",
        referral,
        sourceLabel: labelFor(referralSources, referral.source),
        familyAwareLabel: familyAwareOptions.find((o) => o.code === referral.family_aware)?.label,
        overdue: isOverdue(referral.decision_due_on, todayIn(ctx.now)),
        candidates,
        searchValues: { name, ...dateParts("dob", dateOfBirth) },
        values,
      },
    };
  };

  addRoute(app, services, {
    method: "GET",
    url: "/front-door/referrals/:referralId",
    permission: "referral.identify",
    audit: "referral.identify.form",
    handler: async (request, _reply, ctx) => {
      const query = request.query as Record<string, string | undefined>;
      return identifyPage(ctx, referralIdFrom(request), searchFrom(query), {});
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/front-door/referrals/:referralId/link",
    permission: "referral.identify",
    audit: "referral.identify",
    handler: async (request, _reply, ctx) => {
      const referralId = referralIdFrom(request);
      const form = (request.body ?? {}) as Record<string, unknown>;
      const personId = typeof form.personId === "string" ? form.personId : "";
      ctx.audit({ subjectType: "partner_referral", subjectId: referralId });
      return saveForm(
        ctx,
        async () => {
          if (!isUuid(personId)) {
            throw new AppError("validation", "Check the record you chose", [
              { field: "personId", message: "Choose the child's record from the list" },
            ]);
          }
          const contactId = await linkReferral(
            ctx.db,
            actorOf(ctx),
            { referralId, personId },
            ctx.now,
          );
          ctx.audit({ personIds: [personId] });
          return { redirect: `/contacts/${contactId}` };
        },
        () => identifyPage(ctx, referralId, undefined, form),
      );
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/front-door/referrals/:referralId/new-person",
    permission: "referral.identify",
    audit: "referral.new_record",
    handler: async (request, _reply, ctx) => {
      const referralId = referralIdFrom(request);
      ctx.audit({ subjectType: "partner_referral", subjectId: referralId });
      return saveForm(
        ctx,
        async () => {
          const made = await createRecordForReferral(ctx.db, actorOf(ctx), { referralId }, ctx.now);
          ctx.audit({ personIds: [made.personId] });
          return { redirect: `/contacts/${made.contactId}` };
        },
        () => identifyPage(ctx, referralId, undefined, {}),
      );
    },
  });
}

/** The front door's own search terms, if it refined them; undefined uses the referral's. */
function searchFrom(
  query: Record<string, string | undefined>,
): { name: string; dateOfBirth: string | null } | undefined {
  if (query.name === undefined) return undefined;
  const name = query.name.trim().slice(0, 100);
  const [day, month, year] = [query["dob-day"], query["dob-month"], query["dob-year"]].map((v) =>
    (v ?? "").trim(),
  );
  const iso = `${year ?? ""}-${(month ?? "").padStart(2, "0")}-${(day ?? "").padStart(2, "0")}`;
  return { name, dateOfBirth: isCalendarDate(iso) ? iso : null };
}

const CANDIDATES = 10;

/**
 * Possible records for the child: name and date of birth first, then the name alone (a date
 * of birth given wrongly should not hide the child), among the records the actor sees and the
 * LA's unrestricted records; each once, those born on the date given first.
 */
async function candidatesFor(
  ctx: RouteContext,
  name: string,
  dateOfBirth: string | null,
): Promise<(PersonSearchHit & { dateOfBirthMatches: boolean })[]> {
  if (name.trim().length < 2 && !dateOfBirth) return [];
  const actor = actorOf(ctx);
  const searches = dateOfBirth
    ? [
        { name, dateOfBirth },
        { name, dateOfBirth: null },
      ]
    : [];
  if (!dateOfBirth) searches.push({ name, dateOfBirth: null });
  const found = new Map<string, PersonSearchHit>();
  for (const search of searches) {
    for (const scope of ["visible", identificationScope] as const) {
      for (const hit of await searchPeople(ctx.db, actor, search, ctx.now, scope)) {
        if (!found.has(hit.id)) found.set(hit.id, hit);
      }
    }
  }
  return [...found.values()].slice(0, CANDIDATES).map((hit) => ({
    ...hit,
    dateOfBirthMatches: dateOfBirth !== null && hit.date_of_birth === dateOfBirth,
  }));
}
