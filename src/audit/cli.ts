import type { Db } from "../platform/database.ts";
import {
  checkpointSinkFor,
  keyIdOf,
  loadPublicKeys,
  loadSigningKey,
  writeCheckpoint,
  type AuditKeyConfig,
} from "./checkpoints.ts";
import { sealAuditLog } from "./seal.ts";
import { verifyAuditLog } from "./verify.ts";
import { createPrivateKey, createPublicKey } from "node:crypto";
import { readFile } from "node:fs/promises";

/** `trellis audit verify`: seals what is finished, then checks rows, chain and checkpoints. */
export async function auditVerifyCommand(db: Db, config: AuditKeyConfig): Promise<number> {
  await sealAuditLog(db, { wait: true });
  const sink = await checkpointSinkFor(db, config);
  const log = (await db.selectFrom("audit_log_identity").select("id").executeTakeFirst())?.id;
  const checkpoints = log ? await sink.read(log) : [];
  const keys = await loadPublicKeys(config.publicKeysDir);
  // A configured signing key is trusted too, even if its public key was never saved.
  const pem =
    config.signingKey ??
    (config.signingKeyFile ? await readFile(config.signingKeyFile, "utf8") : undefined);
  if (pem) {
    const publicKey = createPublicKey(createPrivateKey(pem));
    keys.set(keyIdOf(publicKey), publicKey);
  }
  const report = await verifyAuditLog(db, checkpoints, keys);
  if (report.ok) {
    console.log(
      `Audit log verified: ${String(report.rows)} rows, chain intact; ` +
        `${String(report.checkpoints)} signed checkpoints in ${sink.description}, ` +
        `${String(report.uncovered)} entries since the latest; ` +
        `${String(report.unsealed)} rows waiting to be sealed.`,
    );
    return 0;
  }
  console.error(`Audit log BROKEN (${String(report.rows)} chain entries checked):`);
  for (const f of report.findings) console.error(`  ${f.kind}: ${f.message}`);
  return 1;
}

/** `trellis audit checkpoint`: seals and signs the chain's head now. */
export async function auditCheckpointCommand(db: Db, config: AuditKeyConfig): Promise<number> {
  const key = await loadSigningKey(config);
  const sink = await checkpointSinkFor(db, config);
  const checkpoint = await writeCheckpoint(db, key, sink, new Date(), { force: true });
  console.log(
    `Signed checkpoint #${String(checkpoint?.index)}: ${String(checkpoint?.size)} entries, ` +
      `key ${key.id}, written to ${sink.description}.`,
  );
  return 0;
}
