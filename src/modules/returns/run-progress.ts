/**
 * How a return's run says how far it has got (issue 12 item 7, decision 0040). The generator
 * and validator call `progress(stage, done, total, unit)` as often as they like; what hears it
 * is cheap: in the server a throttled writer puts the latest state on the run's row at most
 * every 250 ms, in its own statement outside any transaction so the run page sees it; on the
 * command line a line on stderr (a redrawn bar when stderr is a terminal).
 */
import { sql } from "kysely";
import type { Db } from "../../platform/database.ts";

export interface ProgressState {
  stage: string;
  done?: number | undefined;
  total?: number | undefined;
  /** What is counted: "rules", "children", "failures". */
  unit?: string | undefined;
}

export type Progress = (
  stage: string,
  done?: number,
  total?: number,
  unit?: string,
) => void | Promise<void>;

/** Hears nothing: for callers that want no progress. */
export const noProgress: Progress = () => undefined;

const count = (n: number) => n.toLocaleString("en-GB");

/** "Checking rules: 12,000 of 32,614 children", or the stage alone when nothing is counted. */
export function progressText(p: ProgressState): string {
  if (p.done === undefined || p.total === undefined) return p.stage;
  return `${p.stage}: ${count(p.done)} of ${count(p.total)}${p.unit ? ` ${p.unit}` : ""}`;
}

/** Lets the event loop run (progress writes, other requests) between slices of CPU work. */
export function yieldingEvery(ms = 40): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < ms) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    last = performance.now();
  };
}

export interface ThrottledProgress {
  progress: Progress;
  /** Writes the last state heard, if it has not been written, and stops. */
  close(): Promise<void>;
}

/**
 * Hands `write` the latest state at most every `everyMs`; states heard in between are
 * replaced by later ones (only the newest matters), and one write runs at a time.
 */
export function throttled(
  write: (state: ProgressState) => Promise<void>,
  everyMs = 250,
): ThrottledProgress {
  let latest: ProgressState | undefined;
  let lastWrite = 0;
  let inFlight: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    if (!latest || inFlight) return;
    const state = latest;
    latest = undefined;
    lastWrite = Date.now();
    inFlight = write(state)
      // A lost progress write must never stop the run; the next one says where it is.
      .catch(() => undefined)
      .finally(() => {
        inFlight = undefined;
        if (latest) schedule();
      });
  };
  const schedule = () => {
    if (timer || inFlight) return;
    timer = setTimeout(flush, Math.max(0, lastWrite + everyMs - Date.now()));
    timer.unref();
  };
  return {
    progress: (stage, done, total, unit) => {
      latest = { stage, done, total, unit };
      schedule();
    },
    close: async () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await inFlight;
      if (latest) {
        const state = latest;
        latest = undefined;
        await write(state).catch(() => undefined);
      }
    },
  };
}

/** Writes a running run's progress on its row, as the run's sign of life (progress_at). */
export function runProgressWriter(db: Db, runId: string) {
  return async (state: ProgressState) => {
    await db
      .updateTable("return_run")
      .set({
        stage: state.stage,
        progress_done: state.done ?? null,
        progress_total: state.total ?? null,
        progress_unit: state.unit ?? null,
        progress_at: sql<Date>`clock_timestamp()`,
      })
      .where("id", "=", runId)
      .where("status", "=", "running")
      .execute();
  };
}

const BAR_WIDTH = 30;

/**
 * Progress on a stream for the command line: on a terminal one line redrawn in place with a
 * bar (at most ten times a second); otherwise a plain line each time the stage changes, so a
 * log file holds the stages and not thousands of counts.
 */
export function streamProgress(stream: NodeJS.WriteStream): ThrottledProgress {
  if (!stream.isTTY) {
    let lastStage = "";
    return {
      progress: (stage, _done, total, unit) => {
        if (stage === lastStage) return;
        lastStage = stage;
        const counted = total === undefined ? "" : ` (${count(total)}${unit ? ` ${unit}` : ""})`;
        stream.write(`${stage}${counted}\n`);
      },
      close: () => Promise.resolve(),
    };
  }
  let drawn = false;
  const draw = (state: ProgressState) => {
    const { done, total } = state;
    const bar =
      done !== undefined && total !== undefined && total > 0
        ? `[${"#".repeat(Math.round((done / total) * BAR_WIDTH)).padEnd(BAR_WIDTH, ".")}] `
        : "";
    const width = stream.columns > 0 ? stream.columns - 1 : 79;
    stream.write(`\r${`${bar}${progressText(state)}`.slice(0, width).padEnd(width)}`);
    drawn = true;
    return Promise.resolve();
  };
  const inner = throttled(draw, 100);
  return {
    progress: inner.progress,
    close: async () => {
      await inner.close();
      if (drawn) stream.write("\n");
    },
  };
}
