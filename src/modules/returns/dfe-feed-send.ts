/**
 * Sending the DfE's feed (decision 0034): a client-credentials token (RFC 6749 4.4) fetched
 * once per run and fetched again when the receiver answers 401; each document POSTed to
 * `{base}/children_social_care_data/{la_code}/children`, retried with exponential back-off and
 * jitter on 429, 5xx and network errors, up to a small maximum. Any other 4xx is the DfE
 * refusing the document: recorded as rejected, not retried. The secret is only ever put in the
 * token request's Authorization header: never in a message, a record or a log.
 */
import type { DfeFeedConfig } from "../../platform/config.ts";

export interface FeedTransport {
  fetch: typeof fetch;
  /** Waits between attempts; tests pass one that returns at once and records the delays. */
  sleep(ms: number): Promise<void>;
  /** 0 <= n < 1, for the jitter. */
  random(): number;
}

export const realTransport: FeedTransport = {
  fetch: (input, init) => fetch(input, init),
  sleep: (ms) =>
    new Promise((resolve) => {
      setTimeout(resolve, ms);
    }),
  random: Math.random,
};

export const MAX_ATTEMPTS = 4;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;

/** Exponential back-off with "equal jitter": half the step fixed, half random; Retry-After wins. */
export function backOffMs(attempt: number, random: number, retryAfter: string | null): number {
  const seconds = retryAfter !== null && /^\d+$/.test(retryAfter) ? Number(retryAfter) : null;
  if (seconds !== null) return Math.min(seconds * 1000, MAX_DELAY_MS);
  const step = Math.min(BASE_DELAY_MS * 2 ** (attempt - 1), MAX_DELAY_MS);
  return Math.round(step / 2 + (step / 2) * random);
}

export interface SendOutcome {
  status: "accepted" | "rejected" | "failed";
  attempts: number;
  httpStatus: number | null;
  problem: string | null;
}

/** The token endpoint refused or could not be reached: nothing more can be sent this run. */
export class FeedTokenError extends Error {}

const retryable = (status: number) => status === 429 || status >= 500;

/** A short, safe account of a failure: never a header, a token or the secret. */
function networkProblem(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } }).cause?.code;
  return `network error${typeof cause === "string" ? ` (${cause})` : ""}`;
}

export class FeedSender {
  private token: string | undefined;
  tokensFetched = 0;

  constructor(
    private readonly settings: DfeFeedConfig,
    private readonly transport: FeedTransport = realTransport,
  ) {}

  endpointFor(laCode: number): string {
    return `${this.settings.baseUrl.replace(/\/$/, "")}/children_social_care_data/${String(laCode)}/children`;
  }

  private async bearer(): Promise<string> {
    if (this.token) return this.token;
    const { clientId, clientSecret, tokenUrl } = this.settings;
    const basic = Buffer.from(
      `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`,
    ).toString("base64");
    let response: Response;
    try {
      response = await this.transport.fetch(tokenUrl, {
        method: "POST",
        headers: {
          authorization: `Basic ${basic}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ grant_type: "client_credentials" }).toString(),
      });
    } catch (error) {
      throw new FeedTokenError(`the token endpoint could not be reached: ${networkProblem(error)}`);
    }
    const body = (await response.json().catch(() => ({}))) as { access_token?: unknown };
    if (!response.ok || typeof body.access_token !== "string") {
      throw new FeedTokenError(
        `the token endpoint refused the client credentials (HTTP ${String(response.status)})`,
      );
    }
    this.tokensFetched += 1;
    this.token = body.access_token;
    return this.token;
  }

  /** POSTs one document; throws FeedTokenError only when no token can be had. */
  async send(laCode: number, document: unknown): Promise<SendOutcome> {
    const body = JSON.stringify(document);
    let attempts = 0;
    let refreshed = false;
    for (;;) {
      attempts += 1;
      const token = await this.bearer();
      let status: number | null = null;
      let retryAfter: string | null = null;
      let problem: string;
      try {
        const response = await this.transport.fetch(this.endpointFor(laCode), {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body,
        });
        status = response.status;
        retryAfter = response.headers.get("retry-after");
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) return { status: "accepted", attempts, httpStatus: status, problem: null };
        if (status === 401 && !refreshed) {
          // The token expired or was revoked: one new token, then the same document again.
          refreshed = true;
          this.token = undefined;
          continue;
        }
        if (!retryable(status)) {
          return {
            status: "rejected",
            attempts,
            httpStatus: status,
            problem: `the DfE refused the document (HTTP ${String(status)})`,
          };
        }
        problem = `the DfE could not take the document (HTTP ${String(status)})`;
      } catch (error) {
        problem = networkProblem(error);
      }
      if (attempts >= MAX_ATTEMPTS)
        return { status: "failed", attempts, httpStatus: status, problem };
      await this.transport.sleep(backOffMs(attempts, this.transport.random(), retryAfter));
    }
  }
}
