import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import type { Db } from "../../platform/database.ts";
import { addRoute, PRE_SESSION_CSRF_COOKIE, type AppServices } from "../../platform/routes.ts";
import type { OidcClient, OidcPending } from "./oidc.ts";
import { linkOidcUser } from "./oidc-users.ts";
import {
  createSession,
  endSession,
  endUserSessions,
  randomToken,
  SESSION_COOKIE,
} from "./sessions.ts";
import { checkPasswordSignIn } from "./sign-in.ts";

const cookieOptions = { path: "/", httpOnly: true, secure: true, sameSite: "lax" } as const;
const OIDC_COOKIE = "trellis_oidc";

/** Only same-site relative paths may be a post-sign-in destination (no open redirect). */
export function safeNext(next: unknown): string {
  return typeof next === "string" && /^\/(?![/\\])[^\s]*$/.test(next) ? next : "/";
}

const SignInForm = z.object({
  email: z.string().trim().min(1, "Enter your email address").max(254),
  password: z.string().min(1, "Enter your password").max(1024),
  next: z.string().optional(),
});

export const SIGN_IN_REFUSED =
  "Enter a correct email address and password. After several failed attempts, wait a minute before trying again.";

/** Signing in ends the user's earlier sessions: one live session per person. */
async function startSession(db: Db, reply: FastifyReply, userId: string, now: Date): Promise<void> {
  await endUserSessions(db, userId, now);
  const { token } = await createSession(db, userId, now);
  void reply.setCookie(SESSION_COOKIE, token, cookieOptions);
  void reply.clearCookie(PRE_SESSION_CSRF_COOKIE, { path: "/" });
}

export function registerAuthRoutes(
  app: FastifyInstance,
  services: AppServices,
  oidc: OidcClient | undefined,
): void {
  addRoute(app, services, {
    method: "GET",
    url: "/sign-in",
    permission: "public",
    audit: "none",
    handler: async (request, reply, ctx) => {
      if (ctx.actor) return { redirect: "/" };
      // Double-submit token for the sign-in form, which has no session yet.
      const token = request.cookies[PRE_SESSION_CSRF_COOKIE] ?? randomToken();
      void reply.setCookie(PRE_SESSION_CSRF_COOKIE, token, {
        ...cookieOptions,
        sameSite: "strict",
      });
      request.cookies[PRE_SESSION_CSRF_COOKIE] = token;
      const query = request.query as { next?: string; problem?: string };
      const problem = query.problem ? signInProblems[query.problem] : undefined;
      return {
        view: "auth/views/sign-in.njk",
        status: problem ? 401 : 200,
        data: {
          title: "Sign in",
          next: safeNext(query.next),
          oidcEnabled: Boolean(oidc),
          ...(problem ? { errors: [{ text: problem, href: "#email" }] } : {}),
        },
      };
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/sign-in",
    permission: "public",
    audit: "auth.sign_in",
    csrf: "pre-session",
    handler: async (request, reply, ctx) => {
      const parsed = SignInForm.safeParse(request.body);
      const next = safeNext((request.body as { next?: unknown } | undefined)?.next);
      const form = { title: "Sign in", next, oidcEnabled: Boolean(oidc) };
      if (!parsed.success) {
        ctx.setOutcome("failed");
        ctx.audit({ summary: { reason: "incomplete form" } });
        return {
          view: "auth/views/sign-in.njk",
          status: 400,
          data: {
            ...form,
            email: (request.body as { email?: unknown } | undefined)?.email,
            errors: parsed.error.issues.map((issue) => ({
              text: issue.message,
              href: `#${String(issue.path[0])}`,
            })),
          },
        };
      }
      const result = await checkPasswordSignIn(
        ctx.db,
        { email: parsed.data.email, password: parsed.data.password, source: request.ip },
        ctx.now,
      );
      if (!result.ok) {
        ctx.setOutcome("denied");
        ctx.audit({
          subjectType: "user",
          ...(result.userId ? { subjectId: result.userId } : {}),
          summary: { reason: result.reason },
        });
        // One answer for every refusal, so it does not say whether the account exists.
        return {
          view: "auth/views/sign-in.njk",
          status: 401,
          data: {
            ...form,
            email: parsed.data.email,
            errors: [{ text: SIGN_IN_REFUSED, href: "#email" }],
          },
        };
      }
      ctx.audit({ subjectType: "user", subjectId: result.userId, summary: { method: "password" } });
      await startSession(ctx.db, reply, result.userId, ctx.now);
      return { redirect: next };
    },
  });

  addRoute(app, services, {
    method: "POST",
    url: "/sign-out",
    permission: "signed_in",
    audit: "auth.sign_out",
    handler: async (_request, reply, ctx) => {
      if (ctx.session) await endSession(ctx.db, ctx.session.id, ctx.now);
      void reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return { redirect: "/sign-in" };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/sign-in/oidc",
    permission: "public",
    audit: "none",
    handler: async (request, reply) => {
      if (!oidc) return { redirect: "/sign-in" };
      const { url, pending } = await oidc.start();
      const next = safeNext((request.query as { next?: string }).next);
      void reply.setCookie(OIDC_COOKIE, JSON.stringify({ ...pending, next }), {
        ...cookieOptions,
        signed: true,
        maxAge: 600,
      });
      return { redirect: url };
    },
  });

  addRoute(app, services, {
    method: "GET",
    url: "/sign-in/oidc/callback",
    permission: "public",
    audit: "auth.sign_in",
    handler: async (request, reply, ctx) => {
      const raw = request.cookies[OIDC_COOKIE];
      const unsigned = raw ? request.unsignCookie(raw) : undefined;
      void reply.clearCookie(OIDC_COOKIE, { path: "/" });
      if (!oidc || !unsigned?.valid) {
        ctx.setOutcome("denied");
        ctx.audit({ summary: { method: "oidc", reason: "no sign-in in progress" } });
        return signInProblem("expired");
      }
      const pending = JSON.parse(unsigned.value) as OidcPending & { next: string };
      const callbackUrl = new URL(request.url, services.config.baseUrl);
      let identity;
      try {
        identity = await oidc.finish(callbackUrl, pending);
      } catch (error) {
        request.log.warn({ err: error }, "OIDC callback refused");
        ctx.setOutcome("denied");
        ctx.audit({ summary: { method: "oidc", reason: "callback refused" } });
        return signInProblem("failed");
      }
      const userId = await linkOidcUser(ctx.db, identity);
      if (!userId) {
        ctx.setOutcome("denied");
        ctx.audit({ summary: { method: "oidc", reason: "no matching account" } });
        return signInProblem("no-account");
      }
      ctx.audit({ subjectType: "user", subjectId: userId, summary: { method: "oidc" } });
      await startSession(ctx.db, reply, userId, ctx.now);
      return { redirect: safeNext(pending.next) };
    },
  });
}

/** Problems the OIDC callback reports back on the sign-in page, by code (never free text). */
const signInProblems: Record<string, string> = {
  expired: "Your sign-in expired. Start again.",
  failed: "Sign-in with your organisation account failed. Start again.",
  "no-account":
    "There is no Trellis account for your organisation account. Ask your system administrator to add you.",
};

function signInProblem(code: keyof typeof signInProblems): { redirect: string } {
  return { redirect: `/sign-in?problem=${code}` };
}
