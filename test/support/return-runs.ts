import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "vitest";
import type { Client } from "./http.ts";

export interface FinishedRun {
  id: string;
  /** Where the POST sent the browser: the run page. */
  location: string;
  status: "done" | "failed";
  error: string | null;
}

/** Polls a run's progress JSON until it is no longer running (decision 0040). */
export async function waitForRun(client: Client, id: string, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const response = await client.get(`/returns/runs/${id}/progress`, {
      accept: "application/json",
    });
    expect(response.statusCode).toBe(200);
    const progress = response.json<{ status: string; error: string | null }>();
    if (progress.status !== "running") {
      return { status: progress.status as "done" | "failed", error: progress.error };
    }
    if (Date.now() > until)
      throw new Error(`run ${id} still running after ${String(timeoutMs)} ms`);
    await sleep(25);
  }
}

/**
 * Starts a return's run as the browser does (POST /returns/cin or /returns/903 answers 303 to
 * the run page at once) and waits for the run in the background to finish.
 */
export async function startRunAndWait(
  client: Client,
  url: "/returns/cin" | "/returns/903",
  year: string,
): Promise<FinishedRun> {
  const response = await client.post(url, { year });
  expect(response.statusCode).toBe(303);
  const location = response.headers.location ?? "";
  const id = /\/runs\/([0-9a-f-]{36})$/.exec(location)?.[1];
  if (!id) throw new Error(`no run in the redirect to ${location}`);
  return { id, location, ...(await waitForRun(client, id)) };
}
