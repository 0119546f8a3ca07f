import type { Db } from "../platform/database.ts";
import {
  checkpointSinkFor,
  loadSigningKey,
  writeCheckpoint,
  type AuditKeyConfig,
} from "./checkpoints.ts";
import { sealAuditLog } from "./seal.ts";

export interface AuditKeeperConfig extends AuditKeyConfig {
  sealEveryMs: number;
  checkpointEveryMs: number;
}

export interface AuditKeeper {
  /** Stops the timers, then seals and signs once more so the newest rows are covered. */
  stop(): Promise<void>;
}

/**
 * The server's background audit work: seals finished rows every `sealEveryMs` and signs a
 * checkpoint every `checkpointEveryMs` (and once at start and at stop). Runs in every server
 * process; the advisory locks in seal.ts and checkpoints.ts make that safe.
 */
export async function startAuditKeeper(
  db: Db,
  config: AuditKeeperConfig,
  report: (error: unknown) => void,
): Promise<AuditKeeper> {
  const key = await loadSigningKey(config);
  const sink = await checkpointSinkFor(db, config);
  let busy: Promise<unknown> = Promise.resolve();
  const run = (work: () => Promise<unknown>): void => {
    busy = busy.then(work).catch(report);
  };
  // In the background: sealing a large backlog must not hold up serving.
  run(() => writeCheckpoint(db, key, sink, new Date()));
  const sealer = setInterval(() => {
    run(() => sealAuditLog(db));
  }, config.sealEveryMs);
  const signer = setInterval(() => {
    run(() => writeCheckpoint(db, key, sink, new Date()));
  }, config.checkpointEveryMs);
  sealer.unref();
  signer.unref();
  return {
    async stop() {
      clearInterval(sealer);
      clearInterval(signer);
      await busy;
      await writeCheckpoint(db, key, sink, new Date());
    },
  };
}
