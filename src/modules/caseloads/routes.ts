import { mayRecordOn } from "../../access/recording.ts";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Actor } from "../../access/actor.ts";
import { managesCaseloads } from "../../access/caseloads.ts";
import { roleLabels, isRole } from "../../access/permissions.ts";
import { formatDate, todayIn } from "../../domain/dates.ts";
import {
  isPracticeRole,
  practiceRoleLabels,
  practiceRoles,
} from "../../domain/family-safeguarding.ts";
import {
  countSocialWorkerChanges,
  socialWorkerChangeLabel,
  socialWorkerChangeReasons,
} from "../../domain/social-worker-change.ts";
import { notFound } from "../../platform/errors.ts";
import { dateParts, saveForm } from "../../platform/forms.ts";
import {
  actorOf,
  addRoute,
  isUuid,
  type AppServices,
  type RouteContext,
  type RouteResult,
} from "../../platform/routes.ts";
import type { VisiblePerson } from "../people/queries.ts";
import { getPersonToRecordOn, getVisiblePerson, personIdFrom } from "../people/routes.ts";
import {
  allocationHistory,
  managedAllocationOf,
  openWorkersOf,
  reallocatableAllocations,
  reallocationCandidates,
  teamCaseloads,
  type CaseloadWorker,
} from "./queries.ts";
import { readReallocation, reallocate } from "./reallocate.ts";
import { endableAllocations } from "./end.ts";
import { registerAllocationEndRoutes } from "./end-routes.ts";

/**
 * Team caseloads, a child's allocation history, and reallocation by a team manager with the
 * SSDA903 reason for the change. Which teams and allocations a manager may manage is decided
 * in src/access/caseloads.ts; reallocating changes who can see the child (visibility follows
 * open allocations), so it is one transaction with its chronology entry and audit row.
 */
type Form = Record<string, unknown>;

/** How many members hold each practice role, in the order of the Blackpool team. */
function teamComposition(workers: readonly CaseloadWorker[]): { text: string; count: number }[] {
  return practiceRoles.flatMap((role) => {
    const count = workers.filter((w) => w.member && w.active && w.practiceRole === role).length;
    return count > 0 ? [{ text: practiceRoleLabels[role], count }] : [];
  });
}

const roleText = (role: string, jobTitle: string | null): string =>
  jobTitle || (isRole(role) ? roleLabels[role] : role);

async function reallocatePage(
  ctx: RouteContext,
  actor: Actor,
  person: VisiblePerson,
  values: Form,
): Promise<RouteResult> {
  const today = todayIn(ctx.now);
  const allocations = await reallocatableAllocations(ctx.db, actor, person.id, today);
  const taken = await openWorkersOf(ctx.db, person.id, today);
  const candidates = await reallocationCandidates(ctx.db, actor);
  // One choice per worker, naming the teams of the manager's they belong to.
  const workers = new Map<string, { text: string; teams: string[] }>();
  for (const c of candidates) {
    if (taken.has(c.id)) continue;
    const entry = workers.get(c.id) ?? {
      text: `${c.display_name}, ${roleText(c.role, c.job_title)}`,
      teams: [],
    };
    entry.teams.push(c.team_name);
    workers.set(c.id, entry);
  }
  const selectedAllocation =
    typeof values.allocationId === "string"
      ? values.allocationId
      : allocations.length === 1
        ? allocations[0]?.id
        : undefined;
  return {
    view: "caseloads/views/reallocate.njk",
    data: {
      title: `Reallocate ${person.given_name} ${person.family_name}`,
      person,
      values,
      allocations,
      allocationItems: allocations.map((a) => ({
        value: a.id,
        text: `${a.worker_name}, ${a.team_name}`,
        hint: { text: `Allocated since ${formatDate(a.start_date)}` },
        checked: a.id === selectedAllocation,
      })),
      workerItems: [
        { value: "", text: "Choose a worker" },
        ...[...workers].map(([id, w]) => ({
          value: id,
          text: `${w.text} (${w.teams.join(", ")})`,
          selected: id === values.workerId,
        })),
      ],
      reasonItems: socialWorkerChangeReasons.map((r) => ({
        value: r.code,
        text: r.label,
        checked: r.code === values.reason,
      })),
    },
  };
}

async function personToReallocate(request: FastifyRequest, ctx: RouteContext) {
  return getPersonToRecordOn(ctx, personIdFrom(request));
}

/** Why an allocation ended, in words: the SSDA903 reason, the case closing, or the note. */
function endReasonText(a: {
  end_reason: string | null;
  end_kind: string | null;
  end_note: string | null;
}): string {
  if (a.end_reason) return socialWorkerChangeLabel(a.end_reason);
  if (a.end_kind === "case_closed") return "The case closed";
  if (a.end_note) return `Ended: ${a.end_note}`;
  return "";
}

export function registerCaseloadsRoutes(app: FastifyInstance, services: AppServices): void {
  registerAllocationEndRoutes(app, services);
  addRoute(app, services, {
    method: "GET",
    url: "/caseloads",
    permission: "caseload.manage",
    audit: "caseload.view",
    handler: async (_request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const today = todayIn(ctx.now);
      const teams = await teamCaseloads(ctx.db, actor, ctx.now, today);
      const workers = teams.flatMap((t) => t.workers);
      const personIds = [...new Set(workers.flatMap((w) => w.people.map((p) => p.id)))];
      ctx.audit({
        personIds,
        summary: {
          teams: teams.length,
          workers: workers.length,
          allocations: workers.reduce((sum, w) => sum + w.total, 0),
        },
      });
      return {
        view: "caseloads/views/caseloads.njk",
        data: {
          title: "Team caseloads",
          teams: teams.map((t) => ({
            ...t,
            workers: t.workers.map((w) => ({
              ...w,
              roleText: isPracticeRole(w.practiceRole)
                ? practiceRoleLabels[w.practiceRole]
                : roleText(w.role, w.jobTitle),
            })),
            composition: teamComposition(t.workers),
          })),
        },
      };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/allocations",
    permission: "journey.view",
    audit: "allocation.view",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const person = await getVisiblePerson(ctx, personIdFrom(request));
      const today = todayIn(ctx.now);
      const history = await allocationHistory(ctx.db, actor, person.id);
      const changes = countSocialWorkerChanges(
        history.map((a) => ({
          workerId: a.worker_id,
          role: a.worker_role,
          startDate: a.start_date,
        })),
      );
      const canReallocate =
        managesCaseloads(actor) &&
        mayRecordOn(actor, "caseload.manage", { viaBreakGlassOnly: person.via_break_glass }) &&
        (await reallocatableAllocations(ctx.db, actor, person.id, today)).length > 0;
      const endable = new Set(
        mayRecordOn(actor, "journey.record", { viaBreakGlassOnly: person.via_break_glass })
          ? (await endableAllocations(ctx.db, actor, person.id, today)).map((a) => a.id)
          : [],
      );
      ctx.audit({ summary: { allocations: history.length } });
      return {
        view: "caseloads/views/allocations.njk",
        data: {
          title: `Allocation history: ${person.given_name} ${person.family_name}`,
          person,
          changes,
          canReallocate,
          history: history.map((a) => ({
            ...a,
            roleText: roleText(a.worker_role, a.worker_job_title),
            open: a.end_date === null || a.end_date > today,
            reasonLabel: endReasonText(a),
            mayEnd: endable.has(a.id),
          })),
        },
      };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/people/:id/allocations/reallocate",
    permission: "caseload.manage",
    audit: "allocation.reallocate.form",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const person = await personToReallocate(request, ctx);
      const today = todayIn(ctx.now);
      const open = await reallocatableAllocations(ctx.db, actor, person.id, today);
      if (open.length === 0) throw notFound("Allocation");
      ctx.audit({ summary: { form: true, allocations: open.length } });
      return reallocatePage(ctx, actor, person, dateParts("date", today));
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/people/:id/allocations/reallocate",
    permission: "caseload.manage",
    audit: "allocation.reallocate",
    personParam: "id",
    handler: async (request, _reply, ctx) => {
      const actor = actorOf(ctx);
      const person = await personToReallocate(request, ctx);
      const form = (request.body ?? {}) as Form;
      const today = todayIn(ctx.now);
      const allocations = await reallocatableAllocations(ctx.db, actor, person.id, today);
      if (allocations.length === 0) {
        // Nothing of the manager's to reallocate: a stale form (409, below) or a 404.
        const allocationId = form.allocationId;
        const known =
          isUuid(allocationId) &&
          (await managedAllocationOf(ctx.db, actor, person.id, allocationId));
        if (!known) throw notFound("Allocation");
      }
      return saveForm(
        ctx,
        async () => {
          const candidates = await reallocationCandidates(ctx.db, actor);
          const change = await readReallocation(ctx.db, actor, person.id, form, {
            today,
            allocations,
            candidates,
          });
          const { id, endedWorkerId } = await reallocate(ctx.db, actor, person.id, change, today);
          ctx.audit({
            subjectType: "allocation",
            subjectId: id,
            summary: {
              ended: change.allocationId,
              reason: change.reason,
              fromWorker: endedWorkerId,
              toWorker: change.workerId,
              team: change.teamId,
            },
          });
          return { redirect: `/people/${person.id}/allocations` };
        },
        // The form again, as things stand now (after a conflict the allocation has changed).
        () => reallocatePage(ctx, actor, person, form),
      );
    },
  });
}
