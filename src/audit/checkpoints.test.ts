import { generateKeyPairSync } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { beforeEach, describe, expect, it } from "vitest";
import { freshDatabase } from "../../test/support/database.ts";
import type { Database } from "../platform/database.ts";
import { append, auditFolder, checkpoint, verify } from "./audit-test-support.ts";
import { auditLogId, type AuditKeyConfig, type Checkpoint } from "./checkpoints.ts";
import path from "node:path";

let database: Database;
let folder: AuditKeyConfig;

beforeEach(async () => {
  database = await freshDatabase();
  folder = await auditFolder();
});

async function checkpointFile(): Promise<string> {
  return path.join(folder.dir, `checkpoints-${await auditLogId(database.db)}.jsonl`);
}

async function readCheckpoints(): Promise<Checkpoint[]> {
  const text = await readFile(await checkpointFile(), "utf8");
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Checkpoint);
}

async function writeCheckpoints(list: Checkpoint[]): Promise<void> {
  await writeFile(await checkpointFile(), list.map((c) => `${JSON.stringify(c)}\n`).join(""));
}

const kinds = (report: { findings: { kind: string }[] }) => report.findings.map((f) => f.kind);

describe("signed checkpoints", () => {
  it("are numbered, name their key, and hold no personal data", async () => {
    await append(database, 2);
    await checkpoint(database, folder);
    await append(database, 1, 2);
    await checkpoint(database, folder);
    const list = await readCheckpoints();
    expect(list.map((c) => [c.index, c.size])).toEqual([
      [1, 2],
      [2, 3],
    ]);
    expect(Object.keys(list[0] ?? {}).sort()).toEqual(
      ["at", "head", "index", "key", "log", "signature", "size"].sort(),
    );
  });

  it("names a log that has entries but no checkpoint at all", async () => {
    await append(database, 2);
    const report = await verify(database, folder);
    expect(kinds(report)).toEqual(["missing-checkpoint"]);
  });

  it("names a checkpoint removed from the file", async () => {
    await append(database, 1);
    for (let i = 1; i <= 3; i += 1) {
      await append(database, 1, i);
      await checkpoint(database, folder);
    }
    const [first, , third] = await readCheckpoints();
    await writeCheckpoints([first, third].filter((c) => c !== undefined));
    const report = await verify(database, folder);
    expect(report.findings).toEqual([
      { kind: "missing-checkpoint", message: "checkpoint #2 is missing from the checkpoint file" },
    ]);
  });

  it("does not trust a checkpoint whose numbers were changed, or one signed by another key", async () => {
    await append(database, 3);
    await checkpoint(database, folder);
    const [genuine] = await readCheckpoints();
    if (!genuine) throw new Error("no checkpoint");
    // An insider shortens the log and edits the checkpoint to match.
    const edited = { ...genuine, size: 2 };
    await writeCheckpoints([edited]);
    expect(kinds(await verify(database, folder))).toEqual(["bad-checkpoint", "missing-checkpoint"]);
    // Or signs one with a key of their own.
    const stranger = { ...genuine, key: "0123456789abcdef" };
    await writeCheckpoints([stranger]);
    expect((await verify(database, folder)).findings[0]?.message).toContain(
      "signed by an unknown key",
    );
  });

  it("stay verifiable after the signing key is rotated", async () => {
    await append(database, 2);
    await checkpoint(database, folder);
    const newKey = generateKeyPairSync("ed25519")
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    const rotated = { ...folder, signingKey: newKey };
    await append(database, 2, 2);
    await checkpoint(database, rotated);
    const list = await readCheckpoints();
    expect(new Set(list.map((c) => c.key)).size).toBe(2);
    expect(await verify(database, rotated)).toMatchObject({ ok: true, rows: 4, checkpoints: 2 });
  });
});
