import { timingSafeEqual } from "node:crypto";
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { can, loadActor, type Actor } from "../access/actor.ts";
import { mayBeSignedInOnly, type Permission } from "../access/permissions.ts";
import { isRecordingPermission, recordingVerdict } from "../access/recording.ts";
import { auditActorOf, writeAudit, type AuditEntry, type AuditOutcome } from "../audit/audit.ts";
import type { AuditKind as RecordedKind } from "../audit/kinds.ts";
import { findSession, SESSION_COOKIE, type Session } from "../modules/auth/sessions.ts";
import type { Config } from "./config.ts";
import type { Database, Db } from "./database.ts";
import { AppError, httpStatus } from "./errors.ts";
import {
  claimSubmission,
  keepResult,
  splitToken,
  tokenWithNonce,
  type KeptResult,
  type SubmissionKey,
} from "./idempotency.ts";
import {
  parseContract,
  type Contract,
  type ContractSchemas,
  type RouteInput,
  type Schema,
} from "./contracts.ts";
import { withErrors } from "./form-errors.ts";
import { inputProblems, isDataException, singleValues } from "./input.ts";
import { navigationFor } from "./navigation.ts";

/**
 * Every route is registered through `addRoute`, which makes it declare the permission it needs
 * and the kind of audit row it writes ("none" only for routes that touch no personal data).
 * The wrapper then, in this order: loads the session and actor; refuses without the permission
 * (sign-in for the anonymous, 404 and a denied audit row for the signed-in); checks the CSRF
 * token on every POST; runs the handler inside one transaction; writes the audit row in that
 * same transaction; and only after commit sends the page. A refused or failed request is
 * rolled back and its audit row written in a fresh transaction, so nothing is half-saved and
 * no attempt goes unrecorded.
 */
/** The action named in audit rows, e.g. "person.view"; "none" for routes without personal data. */
export type AuditKind = RecordedKind | "none";

export interface AuditSubject {
  personIds?: readonly string[];
  subjectType?: string;
  subjectId?: string;
  summary?: Record<string, unknown>;
}

export interface RouteContext {
  /** The request's transaction (the plain database for audit "none" routes). */
  db: Db;
  actor: Actor | undefined;
  session: Session | undefined;
  now: Date;
  /** Names the records this request touches; merged into its audit row. */
  audit(subject: AuditSubject): void;
  /** Marks the outcome when the handler itself refuses or fails (e.g. a wrong password). */
  setOutcome(outcome: AuditOutcome): void;
}

export type RouteResult =
  | { view: string; data?: Record<string, unknown>; status?: number }
  | { redirect: string }
  | { json: unknown; status?: number }
  | { sent: true };

/**
 * A route's declaration. Its contract (`params`, `query`, `body`, `response`: zod schemas, see
 * src/platform/contracts.ts and decision 0029) is parsed by the kernel before the handler
 * runs, and the handler is given the parsed values typed by those schemas.
 */
export interface RouteSpec<
  P extends Schema = Schema,
  Q extends Schema = Schema,
  B extends Schema = Schema,
> extends ContractSchemas<P, Q, B> {
  method: "GET" | "POST";
  url: string;
  permission: Permission;
  audit: AuditKind;
  /**
   * The URL parameter that holds a person's id, if the route is about one person: the audit row
   * then names that person even when the request is refused before the handler runs.
   */
  personParam?: string;
  /** "pre-session" checks the sign-in form's double-submit token instead of the session's. */
  csrf?: "session" | "pre-session";
  /**
   * The form field holding an uploaded file, on a route registered where multipart bodies are
   * read (src/platform/uploads.ts); its bytes are the only non-text the kernel lets through.
   */
  upload?: string;
  handler(
    request: FastifyRequest,
    reply: FastifyReply,
    ctx: RouteContext,
    input: RouteInput<P, Q, B>,
  ): Promise<RouteResult>;
  /**
   * A page route's form, shown again when the body breaks its schema (the form-route helper,
   * `addFormRoute`, supplies it). Without it a bad body is refused with an error page.
   */
  showAgain?(
    request: FastifyRequest,
    ctx: RouteContext,
    input: Omit<RouteInput<P, Q, B>, "body">,
    error: AppError,
  ): Promise<RouteResult>;
}

export interface RouteDeclaration {
  permission: Permission;
  audit: AuditKind;
  personParam?: string;
  /** Which parts of the request have a schema (enumerated by test/route-contracts.test.ts). */
  contract: Contract;
  /** The module that declared the route, e.g. "modules/work" (for the contract test's debt list). */
  declaredIn: string;
}

/** The folder under src/ whose file called addRoute (the kernel's own files skipped). */
function declaringFolder(): string {
  for (const line of (new Error().stack ?? "").split("\n").slice(1)) {
    const match = /\/src\/((?:modules\/)?[^/]+)\/([^/:]+)\.ts/.exec(line);
    if (!match?.[1]) continue;
    if (match[1] === "platform" && (match[2] === "routes" || match[2] === "form-route")) continue;
    return match[1];
  }
  return "unknown";
}

/**
 * The declarations of the handlers addRoute made, keyed by handler. Only addRoute can add to
 * it, so the onRoute hook (src/app.ts) can tell a route that runs through the wrapper from one
 * registered directly with a hand-written config, and refuse the latter.
 */
const kernelRoutes = new WeakMap<object, RouteDeclaration>();

function kernelHandler<H extends object>(declaration: RouteDeclaration, handler: H): H {
  kernelRoutes.set(handler, declaration);
  return handler;
}

/** The declaration of a handler made by addRoute; undefined for any other handler. */
export function kernelDeclarationOf(handler: unknown): RouteDeclaration | undefined {
  return typeof handler === "function" ? kernelRoutes.get(handler) : undefined;
}

/**
 * Refuses unless the actor may record on these people (src/access/recording.ts): none visible
 * is a 404, any seen only through emergency access is a 403 ("read_only").
 */
export async function requireMayRecordOn(
  ctx: Pick<RouteContext, "db" | "actor" | "now">,
  permission: Permission,
  personIds: readonly string[],
): Promise<void> {
  const actor = ctx.actor;
  const verdict = actor
    ? await recordingVerdict(ctx.db, actor, permission, personIds, ctx.now)
    : "not_visible";
  if (verdict === "not_visible") throw new AppError("not_found", "Person not found");
  if (verdict === "read_only") {
    throw new AppError(
      "forbidden",
      "You are seeing this record with emergency access, which is for reading only. Ask the allocated team to record this.",
    );
  }
}

/**
 * A route about one person that needs a recording permission (a write, or the form for one)
 * is refused unless the actor may record on that person. Asked in the request's transaction,
 * before the handler runs, so no write path can forget it.
 */
async function refuseUnlessMayRecord(
  db: Db,
  actor: Actor,
  spec: RouteSpec,
  personId: string | undefined,
  now: Date,
): Promise<void> {
  if (!spec.personParam || !isRecordingPermission(spec.permission)) return;
  await requireMayRecordOn({ db, actor, now }, spec.permission, personId ? [personId] : []);
}

export interface AppServices {
  database: Database;
  config: Config;
  clock: () => Date;
}

export const PRE_SESSION_CSRF_COOKIE = "trellis_csrf";

export function csrfTokenFor(request: FastifyRequest, session: Session | undefined): string {
  return session?.csrfToken ?? request.cookies[PRE_SESSION_CSRF_COOKIE] ?? "";
}

function tokensMatch(expected: string, given: unknown): boolean {
  if (typeof given !== "string" || expected.length === 0) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

function submittedCsrf(request: FastifyRequest): unknown {
  const body = request.body as Record<string, unknown> | undefined;
  return request.headers["x-csrf-token"] ?? body?._csrf;
}

/** The submitted token's session part and its per-page nonce (decision 0018). */
function submittedToken(request: FastifyRequest): { csrf: unknown; nonce: string | undefined } {
  const given = submittedCsrf(request);
  return typeof given === "string" ? splitToken(given) : { csrf: given, nonce: undefined };
}

/** A page rendered to HTML before its transaction commits (see `rendered`). */
type Outcome = RouteResult | { html: string; status: number };

export function addRoute<P extends Schema, Q extends Schema, B extends Schema>(
  app: FastifyInstance,
  services: AppServices,
  spec: RouteSpec<P, Q, B>,
): void {
  if (spec.permission === "signed_in" && !mayBeSignedInOnly(`${spec.method} ${spec.url}`)) {
    throw new Error(
      `Route ${spec.method} ${spec.url} may not be open to every signed-in user: declare the permission it needs`,
    );
  }
  if (spec.personParam && spec.audit === "none") {
    throw new Error(`Route ${spec.method} ${spec.url} is about a person, so it must be audited`);
  }
  const declaration: RouteDeclaration = {
    permission: spec.permission,
    audit: spec.audit,
    ...(spec.personParam ? { personParam: spec.personParam } : {}),
    contract: {
      params: spec.params !== undefined,
      query: spec.query !== undefined,
      body: spec.body !== undefined,
      response: spec.response !== undefined,
      // A handler that reads the raw query string has input that no schema checked.
      // eslint-disable-next-line @typescript-eslint/unbound-method -- only its source is read
      readsRawQuery: spec.query === undefined && /\.query\b/.test(String(spec.handler)),
    },
    declaredIn: declaringFolder(),
  };
  app.route({
    method: spec.method,
    url: spec.url,
    // Fastify's config type holds plugins' options only (multipart's): ours is kept beside them.
    config: declaration as FastifyContextConfig,
    handler: kernelHandler(declaration, async (request: FastifyRequest, reply: FastifyReply) => {
      const { database, config, clock } = services;
      const now = clock();
      // Pages carry personal data: no browser or proxy may keep a copy (public pages carry none).
      if (spec.permission !== "public") void reply.header("cache-control", "no-store");
      const session = await findSession(
        database.db,
        request.cookies[SESSION_COOKIE],
        now,
        config.session,
      );
      const actor = session ? await loadActor(database.db, session.userId) : undefined;
      const subject: AuditSubject = subjectFromParams(request, spec.personParam);
      let outcome: AuditOutcome = "allowed";

      const recordRefusal = async (refusal: AuditOutcome, reason: string): Promise<void> => {
        if (spec.audit === "none") return;
        await database.db
          .transaction()
          .execute((tx) =>
            writeAudit(
              tx,
              auditActorOf(actor),
              auditEntry(spec.audit, refusal, refusedSubject(request, spec.url, subject), reason),
              now,
            ),
          );
      };

      if (!can(actor, spec.permission)) {
        if (!actor) {
          if (spec.method === "GET" && !wantsJson(request)) {
            return reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`);
          }
          return sendError(reply, request, actor, new AppError("unauthenticated", "Sign in first"));
        }
        await recordRefusal("denied", "permission");
        return sendError(
          reply,
          request,
          actor,
          new AppError("not_found", "Page not found"),
          session,
        );
      }

      const token = submittedToken(request);
      if (spec.method === "POST") {
        const expected = csrfTokenFor(request, spec.csrf === "pre-session" ? undefined : session);
        if (!tokensMatch(expected, token.csrf)) {
          await recordRefusal("denied", "csrf");
          return sendError(
            reply,
            request,
            actor,
            new AppError(
              "forbidden",
              "This form has expired. Go back, reload the page and try again.",
            ),
          );
        }
      }

      // Input no browser form sends is refused before any handler sees it (decision 0018).
      request.query = singleValues(request.query);
      if (spec.method === "POST") request.body ??= {};
      const problems = inputProblems(request, spec.upload);
      if (problems.length > 0) {
        subject.summary = { ...subject.summary, fields: problems.map((p) => p.field) };
        await recordRefusal("failed", "invalid_input");
        return sendError(
          reply,
          request,
          actor,
          new AppError(
            "validation",
            "What you sent could not be saved. Nothing was saved.",
            problems,
          ),
          session,
        );
      }
      // The route's contract: a bad id is not found; a bad query or body names each field.
      const parsed = parseContract(spec, request, now);
      if (parsed.refusal === "params") {
        await recordRefusal("denied", "not_found");
        return sendError(
          reply,
          request,
          actor,
          new AppError("not_found", "Page not found"),
          session,
        );
      }
      if (parsed.refusal === "query" || (parsed.refusal === "body" && !spec.showAgain)) {
        subject.summary = {
          ...subject.summary,
          fields: parsed.error.fieldErrors.map((p) => p.field),
        };
        await recordRefusal("failed", "invalid_input");
        return sendError(reply, request, actor, parsed.error, session);
      }
      const input = parsed.input as RouteInput<P, Q, B>;
      const run = async (ctx: RouteContext): Promise<RouteResult> => {
        if (parsed.refusal !== "body" || !spec.showAgain) {
          return respond(await spec.handler(request, reply, ctx, input));
        }
        // The form is shown again with each field's problem; the refusal is audited as failed.
        ctx.setOutcome("failed");
        ctx.audit({
          summary: {
            reason: "invalid_input",
            fields: parsed.error.fieldErrors.map((e) => e.field),
          },
        });
        const shown = await spec.showAgain(request, ctx, input, parsed.error);
        return withErrors(shown, parsed.error);
      };
      const respond = (result: RouteResult): RouteResult => {
        if (!spec.response || !("json" in result)) return result;
        // A response that breaks its own schema is the service's fault, never sent half-checked.
        return { ...result, json: spec.response.parse(result.json) };
      };

      // A signed-in user's form is saved once however often it arrives (decision 0018).
      const submission: SubmissionKey | undefined =
        spec.method === "POST" && spec.audit !== "none" && session && token.nonce
          ? { userId: session.userId, request: `POST ${request.url}`, nonce: token.nonce }
          : undefined;

      const contextFor = (db: Db): RouteContext => ({
        db,
        actor,
        session,
        now,
        audit: (more) => {
          Object.assign(subject, more, {
            personIds: [...(subject.personIds ?? []), ...(more.personIds ?? [])],
            summary: { ...subject.summary, ...more.summary },
          });
        },
        setOutcome: (value) => {
          outcome = value;
        },
      });

      let result: Outcome;
      try {
        if (spec.audit === "none") {
          result = await run(contextFor(database.db));
        } else {
          result = await database.db.transaction().execute(async (tx) => {
            if (actor) await refuseUnlessMayRecord(tx, actor, spec, subject.subjectId, now);
            const earlier = submission ? await claimSubmission(tx, submission, now) : "claimed";
            const handled: RouteResult =
              earlier === "claimed" ? await run(contextFor(tx)) : repeatOf(earlier, subject);
            if (submission && earlier === "claimed") {
              await keepResult(tx, submission, keptResultOf(handled));
            }
            await writeAudit(
              tx,
              auditActorOf(actor),
              auditEntry(spec.audit, outcome, subject),
              now,
            );
            // A write's page is drawn before commit: if it cannot be drawn, nothing is saved.
            return spec.method === "POST"
              ? await rendered(reply, request, actor, session, handled)
              : handled;
          });
        }
      } catch (error) {
        if (error instanceof AppError) {
          const refused = error.code === "not_found" || error.code === "forbidden";
          await recordRefusal(refused ? "denied" : "failed", error.code);
          return sendError(reply, request, actor, error, session);
        }
        if (isDataException(error)) {
          // A number or date PostgreSQL cannot hold: the input's fault, and nothing was saved.
          request.log.warn(error);
          await recordRefusal("failed", "invalid_input");
          return sendError(
            reply,
            request,
            actor,
            new AppError(
              "validation",
              "Something you entered is out of range, such as a number that is too large. Nothing was saved.",
            ),
            session,
          );
        }
        request.log.error(error);
        await recordRefusal("failed", "error").catch((auditError: unknown) => {
          request.log.error(auditError);
        });
        return sendError(
          reply,
          request,
          actor,
          new AppError("conflict", "Sorry, something went wrong. Nothing was saved."),
          session,
          500,
        );
      }
      return sendResult(reply, request, actor, session, result);
    }),
  });
}

/** A repeat of a saved submission gets the first one's answer, and its audit row says so. */
function repeatOf(earlier: KeptResult | "unknown", subject: AuditSubject): RouteResult {
  subject.summary = { ...subject.summary, repeatOfSavedSubmission: true };
  if (earlier === "unknown") {
    throw new AppError("conflict", "This form was already sent. Nothing more was saved.");
  }
  return earlier;
}

function keptResultOf(result: RouteResult): KeptResult | "shown again" | "sent" {
  if ("redirect" in result) return { redirect: result.redirect };
  if ("json" in result)
    return { json: result.json, ...(result.status ? { status: result.status } : {}) };
  return "sent" in result ? "sent" : "shown again";
}

async function rendered(
  reply: FastifyReply,
  request: FastifyRequest,
  actor: Actor | undefined,
  session: Session | undefined,
  result: RouteResult,
): Promise<Outcome> {
  if (!("view" in result)) return result;
  const data = { ...pageData(request, reply, actor, session), ...result.data };
  return { html: await reply.viewAsync(result.view, data), status: result.status ?? 200 };
}

/** The signed-in actor of a route that requires a permission (so there always is one). */
export function actorOf(ctx: RouteContext): Actor {
  if (!ctx.actor) throw new AppError("unauthenticated", "Sign in first");
  return ctx.actor;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

function subjectFromParams(request: FastifyRequest, personParam: string | undefined): AuditSubject {
  if (!personParam) return {};
  const value = (request.params as Record<string, unknown>)[personParam];
  return isUuid(value)
    ? { personIds: [value], subjectType: "person", subjectId: value }
    : { subjectType: "person", summary: { malformedId: true } };
}

/** The URL segment before a parameter names what the parameter identifies. */
const subjectTypes: Record<string, string> = {
  people: "person",
  families: "family",
  contacts: "contact",
  contexts: "context",
  panels: "panel",
  meetings: "panel_meeting",
  agenda: "panel_agenda_item",
  actions: "panel_action",
  persons: "person_of_concern",
  places: "location",
  groups: "peer_group",
  users: "user",
  "break-glass": "break_glass",
};

/**
 * A refused request names what was asked for, even when it was refused before its handler
 * could: the route pattern, and the record its first URL parameter identifies.
 */
function refusedSubject(request: FastifyRequest, pattern: string, subject: AuditSubject) {
  const named: AuditSubject = { ...subject, summary: { ...subject.summary, route: pattern } };
  if (named.subjectType) return named;
  const match = /([^/]+)\/:([A-Za-z]+)/.exec(pattern);
  if (!match?.[1] || !match[2]) return named;
  const value = (request.params as Record<string, unknown>)[match[2]];
  named.subjectType = subjectTypes[match[1]] ?? match[1];
  if (isUuid(value)) named.subjectId = value;
  else named.summary = { ...named.summary, malformedId: true };
  return named;
}

function auditEntry(
  action: string,
  outcome: AuditOutcome,
  subject: AuditSubject,
  reason?: string,
): AuditEntry {
  return {
    action,
    outcome,
    ...(subject.personIds ? { personIds: subject.personIds } : {}),
    ...(subject.subjectType ? { subjectType: subject.subjectType } : {}),
    ...(subject.subjectId ? { subjectId: subject.subjectId } : {}),
    summary: { ...subject.summary, ...(reason ? { reason } : {}) },
  };
}

const PROBLEM_JSON = "application/problem+json; charset=utf-8";

/**
 * An RFC 9457 problem: `title` and `detail` for people, `errors` naming each field for the
 * caller's code. `error`, `message` and `fields` are kept, as extension members, for callers of
 * the JSON routes written before the contracts.
 */
export function problemOf(error: AppError, status: number) {
  return {
    type: "about:blank",
    title: problemTitles[status] ?? "Request refused",
    status,
    detail: error.message,
    errors: error.fieldErrors,
    error: error.code,
    message: error.message,
    fields: error.fieldErrors,
  };
}

const problemTitles: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  429: "Too Many Requests",
  500: "Internal Server Error",
};

export function wantsJson(request: FastifyRequest): boolean {
  return request.url.startsWith("/api/") || request.headers.accept === "application/json";
}

export function pageData(
  request: FastifyRequest,
  reply: FastifyReply,
  actor: Actor | undefined,
  session: Session | undefined,
): Record<string, unknown> {
  return {
    actor,
    navigation: navigationFor(actor, request.url),
    csrfToken: session ? tokenWithNonce(session.csrfToken) : csrfTokenFor(request, session),
    cspNonce: reply.cspNonce.script,
    currentPath: request.url,
  };
}

async function sendResult(
  reply: FastifyReply,
  request: FastifyRequest,
  actor: Actor | undefined,
  session: Session | undefined,
  result: Outcome,
): Promise<FastifyReply> {
  if ("sent" in result) return reply;
  if ("html" in result) return reply.code(result.status).send(result.html);
  if ("redirect" in result) return reply.redirect(result.redirect, 303);
  if ("json" in result) return reply.code(result.status ?? 200).send(result.json);
  return reply
    .code(result.status ?? 200)
    .view(result.view, { ...pageData(request, reply, actor, session), ...result.data });
}

export async function sendError(
  reply: FastifyReply,
  request: FastifyRequest,
  actor: Actor | undefined,
  error: AppError,
  session?: Session,
  status = httpStatus[error.code],
): Promise<FastifyReply> {
  reply.code(status);
  void reply.header("cache-control", "no-store");
  if (wantsJson(request)) return reply.type(PROBLEM_JSON).send(problemOf(error, status));
  return reply.view("error.njk", {
    ...pageData(request, reply, actor, session),
    status,
    title:
      status === 404
        ? "Page not found"
        : status === 500
          ? "Sorry, there is a problem"
          : error.message,
    message: error.message,
    problems: error.fieldErrors,
  });
}
