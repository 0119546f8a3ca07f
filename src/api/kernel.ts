/**
 * The API's route kernel: every /api route is registered through `addApiRoute`, which makes it
 * declare its permission, audit kind and zod contract (params, query, body, response). Then, in
 * order: the bearer token names a live client (401 otherwise); the client's rate limit (429);
 * the permission, which the client holds only if registered with it (403); the contract (400,
 * naming each field); and the handler in one transaction with the audit row, the client named
 * as the actor. A refusal is audited in a fresh transaction, so no attempt goes unrecorded.
 * The same access decisions as the pages are used: `can`, visibility, recording.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import { can, type Actor } from "../access/actor.ts";
import type { Permission } from "../access/permissions.ts";
import { isRecordingPermission } from "../access/recording.ts";
import { auditActorOf, writeAudit, type AuditOutcome } from "../audit/audit.ts";
import type { AuditKind } from "../audit/kinds.ts";
import type { Db } from "../platform/database.ts";
import { AppError } from "../platform/errors.ts";
import { claimSubmission, keepResult, type SubmissionKey } from "../platform/idempotency.ts";
import { isDataException } from "../platform/input.ts";
import { requireMayRecordOn, type AppServices, type AuditSubject } from "../platform/routes.ts";
import { apiActorOf } from "./clients.ts";
import { fieldErrorsOf, problem, problemOf, sendProblem, type Problem } from "./problem.ts";
import { RateLimiter } from "./rate-limit.ts";
import type { TokenVerifier } from "./tokens.ts";

/** The largest JSON body an endpoint takes: a referral's reasons fit many times over. */
export const API_BODY_LIMIT = 64 * 1024;

export interface ApiContext {
  db: Db;
  actor: Actor;
  now: Date;
  /** Names the records this call touches; merged into its audit row. */
  audit(subject: AuditSubject): void;
}

export interface ApiContract {
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodObject;
  response: z.ZodType;
}

export interface ApiRouteSpec<C extends ApiContract> {
  method: "GET" | "POST";
  url: string;
  /** One line for the OpenAPI document. */
  summary: string;
  tag: string;
  permission: Permission;
  audit: AuditKind;
  /** The URL parameter holding the person the call is about, named in every audit row. */
  personParam?: string;
  /** The status of success: 200 by default, 201 for a create. */
  status?: 200 | 201;
  contract: C;
  handler(
    input: {
      params: C["params"] extends z.ZodObject ? z.infer<C["params"]> : Record<string, never>;
      query: C["query"] extends z.ZodObject ? z.infer<C["query"]> : Record<string, never>;
      body: C["body"] extends z.ZodObject ? z.infer<C["body"]> : Record<string, never>;
    },
    ctx: ApiContext,
  ): Promise<z.input<C["response"]>>;
}

/** What the OpenAPI document and the route table know of a route. */
export interface ApiDeclaration {
  method: "GET" | "POST";
  url: string;
  summary: string;
  tag: string;
  permission: Permission;
  audit: AuditKind | "none";
  status: number;
  contract: ApiContract | undefined;
  personParam?: string;
}

/** The API kernel's own record of its handlers: src/app.ts lets through only these. */
const apiRoutes = new WeakMap<object, ApiDeclaration>();
const declarations: ApiDeclaration[] = [];

export function apiDeclarationOf(handler: unknown): ApiDeclaration | undefined {
  return typeof handler === "function" ? apiRoutes.get(handler) : undefined;
}

/** Every API route declared in this process, for the OpenAPI document. */
export function apiDeclarations(app: FastifyInstance): ApiDeclaration[] {
  const registered = new Set(app.routeTable.map((r) => `${r.method} ${r.url}`));
  return declarations.filter((d) => registered.has(`${d.method} ${d.url}`));
}

/** Registers a handler the API kernel made, so the onRoute hook lets it through. */
export function apiHandler<H extends object>(declaration: ApiDeclaration, handler: H): H {
  apiRoutes.set(handler, declaration);
  if (!declarations.some((d) => d.method === declaration.method && d.url === declaration.url)) {
    declarations.push(declaration);
  }
  return handler;
}

export interface ApiServices extends AppServices {
  tokens: TokenVerifier;
  limiter: RateLimiter;
}

type Caller =
  | { actor: Actor; ratePerMinute: number }
  | { refused: "missing" | "expired" | "invalid" | "revoked" };

/** Who is calling, from the bearer token; the client is read afresh, so revocation is immediate. */
export async function callerOf(
  request: FastifyRequest,
  services: ApiServices,
  now: Date,
): Promise<Caller> {
  const header = request.headers.authorization ?? "";
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header);
  if (!match?.[1]) return { refused: "missing" };
  const verified = await services.tokens.verify(match[1], now);
  if (typeof verified === "string") return { refused: verified };
  const found = await apiActorOf(services.database.db, verified);
  return found ?? { refused: "revoked" };
}

const refusalDetail = {
  missing: "Send an access token: Authorization: Bearer <token>.",
  expired: "The access token has expired. Get a new one.",
  invalid: "The access token is not valid here.",
  revoked: "This client is not registered, or has been revoked.",
};

async function auditRefusal(
  services: AppServices,
  actor: Actor | undefined,
  spec: Pick<ApiDeclaration, "audit" | "url">,
  subject: AuditSubject,
  outcome: AuditOutcome,
  reason: string,
  now: Date,
): Promise<void> {
  if (spec.audit === "none") return;
  await services.database.db.transaction().execute((tx) =>
    writeAudit(
      tx,
      auditActorOf(actor),
      {
        action: spec.audit,
        outcome,
        ...subject,
        summary: { ...subject.summary, ...clientSummary(actor), route: spec.url, reason },
      },
      now,
    ),
  );
}

function clientSummary(actor: Actor | undefined): Record<string, unknown> {
  return actor?.apiClient ? { apiClient: actor.apiClient.clientId } : {};
}

function personSubject(request: FastifyRequest, personParam: string | undefined): AuditSubject {
  if (!personParam) return {};
  const value = (request.params as Record<string, unknown>)[personParam];
  return typeof value === "string" && /^[0-9a-f-]{36}$/.test(value)
    ? { personIds: [value], subjectType: "person", subjectId: value }
    : { subjectType: "person", summary: { malformedId: true } };
}

function parsed(
  where: "params" | "query" | "body",
  schema: z.ZodObject | undefined,
  value: unknown,
): { value: unknown } | { errors: { field: string; message: string }[] } {
  if (!schema) return { value: {} };
  const result = schema.safeParse(value ?? {});
  return result.success ? { value: result.data } : { errors: fieldErrorsOf(where, result.error) };
}

export function addApiRoute<C extends ApiContract>(
  app: FastifyInstance,
  services: ApiServices,
  spec: ApiRouteSpec<C>,
): void {
  const declaration: ApiDeclaration = {
    method: spec.method,
    url: spec.url,
    summary: spec.summary,
    tag: spec.tag,
    permission: spec.permission,
    audit: spec.audit,
    status: spec.status ?? 200,
    contract: spec.contract,
    ...(spec.personParam ? { personParam: spec.personParam } : {}),
  };
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const now = services.clock();
    const subject = personSubject(request, spec.personParam);
    const caller = await callerOf(request, services, now);
    if ("refused" in caller) {
      await auditRefusal(
        services,
        undefined,
        spec,
        subject,
        "denied",
        `token_${caller.refused}`,
        now,
      );
      return sendProblem(reply, problem("unauthenticated", refusalDetail[caller.refused]));
    }
    const { actor } = caller;
    const refuse = async (body: Problem, outcome: AuditOutcome, reason: string) => {
      await auditRefusal(services, actor, spec, subject, outcome, reason, now);
      return sendProblem(reply, body);
    };
    const wait = services.limiter.take(
      actor.apiClient?.clientId ?? actor.userId,
      caller.ratePerMinute,
      now,
    );
    if (wait > 0) {
      void reply.header("retry-after", String(wait));
      return refuse(
        problem("too_many_attempts", `Too many calls: try again in ${String(wait)} seconds.`),
        "denied",
        "rate_limited",
      );
    }
    if (!can(actor, spec.permission)) {
      return refuse(
        problem("forbidden", `This client is not registered to use ${spec.permission}.`),
        "denied",
        "permission",
      );
    }
    if (
      spec.method === "POST" &&
      !/^application\/json\b/.test(request.headers["content-type"] ?? "")
    ) {
      return refuse(
        problem("unsupported_media_type", "Send the body as application/json."),
        "failed",
        "media_type",
      );
    }
    const input: Record<string, unknown> = {};
    const errors: { field: string; message: string }[] = [];
    for (const where of ["params", "query", "body"] as const) {
      const result = parsed(where, spec.contract[where], request[where]);
      if ("errors" in result) errors.push(...result.errors);
      else input[where] = result.value;
    }
    if (errors.length > 0) {
      subject.summary = { ...subject.summary, fields: errors.map((e) => e.field) };
      return refuse(
        problem("validation", "What you sent is not valid. Nothing was saved.", errors),
        "failed",
        "invalid_input",
      );
    }
    const idempotencyKey = request.headers["idempotency-key"];
    const submission: SubmissionKey | undefined =
      spec.method === "POST" && typeof idempotencyKey === "string" && idempotencyKey.length > 0
        ? {
            userId: actor.userId,
            request: `POST ${request.url}`,
            nonce: idempotencyKey.slice(0, 200),
          }
        : undefined;
    const ctx = (db: Db): ApiContext => ({
      db,
      actor,
      now,
      audit: (more) => {
        Object.assign(subject, more, {
          personIds: [...(subject.personIds ?? []), ...(more.personIds ?? [])],
          summary: { ...subject.summary, ...more.summary },
        });
      },
    });
    try {
      const { json, status } = await services.database.db.transaction().execute(async (tx) => {
        if (spec.personParam && isRecordingPermission(spec.permission)) {
          await requireMayRecordOn(
            { db: tx, actor, now },
            spec.permission,
            subject.personIds ?? [],
          );
        }
        const earlier = submission ? await claimSubmission(tx, submission, now) : "claimed";
        let kept: { json: unknown; status: number };
        if (earlier === "claimed") {
          const result: unknown = await spec.handler(input as never, ctx(tx));
          // A response that breaks its own contract is a fault: nothing is saved.
          kept = { json: spec.contract.response.parse(result), status: declaration.status };
          if (submission) await keepResult(tx, submission, kept);
        } else {
          if (earlier === "unknown" || !("json" in earlier)) {
            throw new AppError(
              "conflict",
              "A call with this Idempotency-Key is still being handled.",
            );
          }
          subject.summary = { ...subject.summary, repeatOfSavedSubmission: true };
          kept = { json: earlier.json, status: earlier.status ?? declaration.status };
        }
        await writeAudit(
          tx,
          auditActorOf(actor),
          {
            action: spec.audit,
            outcome: "allowed",
            ...subject,
            summary: { ...subject.summary, ...clientSummary(actor) },
          },
          now,
        );
        return kept;
      });
      void reply.header("cache-control", "no-store");
      return await reply.code(status).send(json);
    } catch (error) {
      if (error instanceof AppError) {
        const refused = error.code === "not_found" || error.code === "forbidden";
        return await refuse(problemOf(error), refused ? "denied" : "failed", error.code);
      }
      if (isDataException(error)) {
        return await refuse(
          problem("validation", "Something you sent is out of range. Nothing was saved."),
          "failed",
          "invalid_input",
        );
      }
      request.log.error(error);
      return await refuse(
        problem("server_error", "Sorry, something went wrong. Nothing was saved."),
        "failed",
        "error",
      );
    }
  };
  app.route({
    method: spec.method,
    url: spec.url,
    bodyLimit: API_BODY_LIMIT,
    errorHandler: apiErrorHandler(services, declaration),
    handler: apiHandler(declaration, handler),
  });
}

/**
 * A body fastify could not read (too large, not JSON) never reaches the handler: it is
 * answered here as a problem, and audited with the caller if their token is good.
 */
export function apiErrorHandler(
  services: ApiServices,
  declaration: Pick<ApiDeclaration, "audit" | "url">,
) {
  const handle = async (
    error: { statusCode?: number },
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> => {
    const now = services.clock();
    const status = error.statusCode ?? 500;
    if (status >= 500) request.log.error(error);
    const caller = await callerOf(request, services, now).catch(() => undefined);
    const actor = caller && "actor" in caller ? caller.actor : undefined;
    const body =
      status === 413
        ? problem("too_large", `Send at most ${String(API_BODY_LIMIT)} bytes. Nothing was saved.`)
        : status === 415
          ? problem("unsupported_media_type", "Send the body as application/json.")
          : status < 500
            ? problem("validation", "The body could not be read as JSON. Nothing was saved.")
            : problem("server_error", "Sorry, something went wrong. Nothing was saved.");
    await auditRefusal(
      services,
      actor,
      declaration,
      {},
      "failed",
      `unreadable_${String(status)}`,
      now,
    ).catch((auditError: unknown) => {
      request.log.error(auditError);
    });
    await sendProblem(reply, body);
  };
  return (error: { statusCode?: number }, request: FastifyRequest, reply: FastifyReply): void => {
    void handle(error, request, reply);
  };
}
