import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from "node:crypto";
import { mkdir, open, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { sql } from "kysely";
import type { Db } from "../platform/database.ts";
import { canonicalJson } from "./audit.ts";
import { chainHead, sealAuditLog } from "./seal.ts";

/**
 * Signed checkpoints of the audit chain, held outside the database (decision 0017). A checkpoint
 * says "log L had N entries ending in hash H at time T", signed with an Ed25519 key the
 * database never sees. A database insider can re-hash the chain or cut its end, but cannot sign
 * a checkpoint that agrees, so verify.ts compares the chain with every checkpoint.
 */
export interface Checkpoint {
  log: string;
  /** 1, 2, 3, ...: a gap means a checkpoint was removed from the sink. */
  index: number;
  size: number;
  head: string;
  at: string;
  /** The signing key's id, so old checkpoints stay verifiable after the key is rotated. */
  key: string;
  signature: string;
}

/** Where checkpoints go: an append-only file by default; anything that appends and reads back. */
export interface CheckpointSink {
  readonly description: string;
  append(checkpoint: Checkpoint): Promise<void>;
  /** Every checkpoint of this log, in the order written. */
  read(log: string): Promise<Checkpoint[]>;
}

export interface SigningKey {
  id: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface AuditKeyConfig {
  /** Folder for the development key, public keys and checkpoints. */
  dir: string;
  /** The private key in PEM (AUDIT_SIGNING_KEY), or a file holding it (AUDIT_SIGNING_KEY_FILE). */
  signingKey: string | undefined;
  signingKeyFile: string | undefined;
  /** Public keys named <key id>.pem: every key that ever signed (AUDIT_PUBLIC_KEYS_DIR). */
  publicKeysDir: string;
  /** AUDIT_CHECKPOINT_FILE; default <dir>/checkpoints-<log id>.jsonl. */
  checkpointFile: string | undefined;
}

/** A key's id: the start of the SHA-256 of its public key. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash("sha256")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest("hex")
    .slice(0, 16);
}

function keyFromPem(pem: string): SigningKey {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== "ed25519") {
    throw new Error("the audit signing key must be an Ed25519 private key (PEM)");
  }
  const publicKey = createPublicKey(privateKey);
  return { id: keyIdOf(publicKey), privateKey, publicKey };
}

/**
 * The signing key: from AUDIT_SIGNING_KEY or AUDIT_SIGNING_KEY_FILE; otherwise a development key
 * made on first use in the audit folder, with a warning (it sits beside the data, so it proves
 * nothing against whoever holds the machine). Its public key is kept for later verification.
 */
export async function loadSigningKey(
  config: AuditKeyConfig,
  warn: (message: string) => void = console.error,
): Promise<SigningKey> {
  let key: SigningKey;
  if (config.signingKey) key = keyFromPem(config.signingKey);
  else if (config.signingKeyFile) key = keyFromPem(await readFile(config.signingKeyFile, "utf8"));
  else {
    const file = path.join(config.dir, "signing-key.pem");
    await mkdir(config.dir, { recursive: true });
    const pem = generateKeyPairSync("ed25519")
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    // 'wx': if another process made the key first, use theirs.
    await writeFile(file, pem, { flag: "wx", mode: 0o600 }).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    });
    key = keyFromPem(await readFile(file, "utf8"));
    warn(
      `WARNING: audit checkpoints are signed with a development key (${file}). In production ` +
        "set AUDIT_SIGNING_KEY_FILE to an Ed25519 key kept away from the database and its hosts.",
    );
  }
  await mkdir(config.publicKeysDir, { recursive: true });
  await writeFile(
    path.join(config.publicKeysDir, `${key.id}.pem`),
    key.publicKey.export({ type: "spki", format: "pem" }),
    { flag: "wx" },
  ).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  });
  return key;
}

/** Every public key in the folder, by key id (the id is recomputed, not taken from the name). */
export async function loadPublicKeys(dir: string): Promise<Map<string, KeyObject>> {
  const keys = new Map<string, KeyObject>();
  const files = await readdir(dir).catch(() => [] as string[]);
  for (const file of files.filter((f) => f.endsWith(".pem"))) {
    const publicKey = createPublicKey(await readFile(path.join(dir, file), "utf8"));
    keys.set(keyIdOf(publicKey), publicKey);
  }
  return keys;
}

function signedBytes(c: Omit<Checkpoint, "signature">): Buffer {
  const { log, index, size, head, at, key } = c;
  return Buffer.from(canonicalJson({ log, index, size, head, at, key }));
}

export function signCheckpoint(key: SigningKey, body: Omit<Checkpoint, "key" | "signature">) {
  const unsigned = { ...body, key: key.id };
  const signature = sign(null, signedBytes(unsigned), key.privateKey).toString("base64");
  return { ...unsigned, signature };
}

export function checkpointProblem(
  c: Checkpoint,
  keys: ReadonlyMap<string, KeyObject>,
): string | undefined {
  const publicKey = keys.get(c.key);
  if (!publicKey) return `checkpoint #${String(c.index)} is signed by an unknown key ${c.key}`;
  const valid = verify(null, signedBytes(c), publicKey, Buffer.from(c.signature, "base64"));
  return valid
    ? undefined
    : `checkpoint #${String(c.index)} has a bad signature (forged or altered)`;
}

/** One JSON checkpoint a line, appended and flushed to disk before it counts. */
export function fileCheckpointSink(file: string): CheckpointSink {
  return {
    description: file,
    async append(checkpoint) {
      await mkdir(path.dirname(file), { recursive: true });
      const handle = await open(file, "a", 0o644);
      try {
        await handle.write(`${JSON.stringify(checkpoint)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
    async read(log) {
      const text = await readFile(file, "utf8").catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return "";
        throw error;
      });
      const found: Checkpoint[] = [];
      for (const line of text.split("\n")) {
        if (line.trim() === "") continue;
        const parsed = JSON.parse(line) as Checkpoint;
        if (parsed.log === log) found.push(parsed);
      }
      return found;
    },
  };
}

/** This database's log id (migration 008), which names its checkpoints. */
export async function auditLogId(db: Db): Promise<string> {
  const row = await db
    .selectFrom("audit_log_identity")
    .select("id")
    .orderBy("created_at")
    .limit(1)
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function checkpointSinkFor(db: Db, config: AuditKeyConfig): Promise<CheckpointSink> {
  const log = await auditLogId(db);
  return fileCheckpointSink(
    config.checkpointFile ?? path.join(config.dir, `checkpoints-${log}.jsonl`),
  );
}

const CHECKPOINT_LOCK = 7240318;

/**
 * Seals what is finished and signs the chain's head. Skipped when nothing changed since the
 * last checkpoint, unless `force`. An advisory lock keeps checkpoint numbers unique across
 * processes. Returns the checkpoint written, if any.
 */
export async function writeCheckpoint(
  db: Db,
  key: SigningKey,
  sink: CheckpointSink,
  now: Date,
  options: { force?: boolean } = {},
): Promise<Checkpoint | undefined> {
  await sealAuditLog(db, { wait: true });
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(${CHECKPOINT_LOCK})`.execute(tx);
    const log = await auditLogId(tx);
    const { size, head } = await chainHead(tx);
    const previous = (await sink.read(log)).at(-1);
    if (!options.force && previous?.size === size && previous.head === head) return undefined;
    const checkpoint = signCheckpoint(key, {
      log,
      index: (previous?.index ?? 0) + 1,
      size,
      head,
      at: now.toISOString(),
    });
    await sink.append(checkpoint);
    return checkpoint;
  });
}
