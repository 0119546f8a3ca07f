/**
 * A stand-in for the DfE's receiving API, for the feed's tests: Fastify on 127.0.0.1 and an
 * ephemeral port, taking `POST /children_social_care_data/:la_code/children`. It verifies the
 * bearer token against the authorisation server's JWKS (issuer and audience too) and checks
 * each body against the JSON Schema of the specification, compiled here on its own so the
 * product's validator is not marking its own work. It can be told to fail for a child: a list
 * of statuses to answer before accepting (500, 500), or a status for every request (400); and
 * to answer the next request 401 once, as for an expired token.
 */
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import Fastify from "fastify";
import { createRemoteJWKSet, jwtVerify } from "jose";

const schema = JSON.parse(
  readFileSync(new URL("../../specs/dfe-csc-api/child.schema.json", import.meta.url), "utf8"),
) as object;

export interface Received {
  laCode: string;
  laChildId: string;
  document: { Children: Record<string, unknown> } & Record<string, unknown>;
  clientId: unknown;
}

export interface DfeReceiver {
  url: string;
  /** Every document accepted, in order. */
  accepted: Received[];
  /** Every request, whatever was answered: the child (if the body named one) and the status. */
  answered: { laChildId: string | null; status: number }[];
  /** Answer these statuses, one per request, for this child before accepting. */
  failFirst(laChildId: string, statuses: number[]): void;
  /** Answer this status to every request for this child until cleared. */
  refuse(laChildId: string, status: number | undefined): void;
  /** Answer the next request 401, whatever its token. */
  expireTokenOnce(): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startDfeReceiver(issuer: string, audience: string): Promise<DfeReceiver> {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats.default(ajv, ["date"]);
  const valid = ajv.compile(schema);
  const keys = createRemoteJWKSet(new URL(`${issuer}/jwks`));
  const queued = new Map<string, number[]>();
  const refused = new Map<string, number>();
  let expireNext = false;
  const accepted: Received[] = [];
  const answered: DfeReceiver["answered"] = [];

  const app = Fastify({ logger: false });
  app.post<{ Params: { la_code: string } }>(
    "/children_social_care_data/:la_code/children",
    async (request, reply) => {
      // Whatever was posted: only the schema says whether it is a document.
      const body = request.body as { Children?: { la_child_id?: unknown } } | undefined;
      const laChildId =
        typeof body?.Children?.la_child_id === "string" ? body.Children.la_child_id : null;
      const answer = (status: number, detail: unknown) => {
        answered.push({ laChildId, status });
        return reply.code(status).send(detail);
      };
      const auth = request.headers.authorization ?? "";
      if (expireNext) {
        expireNext = false;
        return answer(401, { error: "token expired" });
      }
      let clientId: unknown;
      try {
        const { payload } = await jwtVerify(auth.replace(/^Bearer /, ""), keys, {
          issuer,
          audience,
        });
        clientId = payload.client_id;
      } catch {
        return answer(401, { error: "invalid token" });
      }
      if (!valid(body)) return answer(422, { errors: valid.errors });
      if (String((body as { la_code?: unknown }).la_code) !== request.params.la_code)
        return answer(422, { error: "la_code" });
      const first = laChildId ? queued.get(laChildId)?.shift() : undefined;
      if (first !== undefined) return answer(first, { error: "scripted" });
      const always = laChildId ? refused.get(laChildId) : undefined;
      if (always !== undefined) return answer(always, { error: "scripted" });
      accepted.push({
        laCode: request.params.la_code,
        laChildId: laChildId ?? "",
        document: body as Received["document"],
        clientId,
      });
      return answer(202, { status: "accepted" });
    },
  );
  await app.listen({ port: 0, host: "127.0.0.1" });
  const url = `http://127.0.0.1:${String((app.server.address() as AddressInfo).port)}`;
  return {
    url,
    accepted,
    answered,
    failFirst: (id, statuses) => queued.set(id, [...statuses]),
    refuse: (id, status) => {
      if (status === undefined) refused.delete(id);
      else refused.set(id, status);
    },
    expireTokenOnce: () => {
      expireNext = true;
    },
    reset: () => {
      accepted.length = 0;
      answered.length = 0;
      queued.clear();
      refused.clear();
    },
    close: () => app.close(),
  };
}
