import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { writeAudit } from "../src/audit/audit.ts";
import { rewriteAndRehash, tamper } from "../src/audit/audit-test-support.ts";
import { openEmbedded } from "../src/platform/database.ts";
import { migrate } from "../src/platform/migrate.ts";

const run = promisify(execFile);
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Runs `trellis <args>` against an embedded database folder, as a user would. */
async function trellis(
  dataDir: string,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  try {
    const { stdout, stderr } = await run("node", ["bin/trellis.js", ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Writes audited transactions straight into the embedded database, as requests would. */
async function writeRows(dataDir: string, actions: string[]): Promise<void> {
  const database = await openEmbedded(dataDir);
  await migrate(database);
  for (const action of actions) {
    await database.db
      .transaction()
      .execute((tx) =>
        writeAudit(
          tx,
          { userId: null, laId: null, organisationId: null },
          { action, outcome: "allowed" },
          new Date(),
        ),
      );
  }
  await database.close();
}

/** A fresh data folder; the audit folder (keys, checkpoints) is made beside it by default. */
async function freshFolder(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "trellis-cli-"));
  dirs.push(dir);
  return path.join(dir, "pglite");
}

describe("npx trellis audit verify", () => {
  it("passes on an intact, checkpointed log, then names an altered row", async () => {
    const dataDir = await freshFolder();
    expect((await trellis(dataDir, "migrate")).code).toBe(0);
    await writeRows(dataDir, ["person.view", "person.search", "person.update"]);

    const unsigned = await trellis(dataDir, "audit", "verify");
    expect(unsigned.code).toBe(1);
    expect(unsigned.stderr).toContain("missing-checkpoint");

    const signed = await trellis(dataDir, "audit", "checkpoint");
    expect(signed.code).toBe(0);
    expect(signed.stdout).toContain("Signed checkpoint #1: 3 entries");
    expect(signed.stderr).toContain("development key");

    const intact = await trellis(dataDir, "audit", "verify");
    expect(intact.code).toBe(0);
    expect(intact.stdout).toContain("3 rows, chain intact");

    const database = await openEmbedded(dataDir);
    await database.exec(
      "alter table audit_log disable trigger user; update audit_log set outcome = 'denied' where seq = 2;",
    );
    await database.close();

    const broken = await trellis(dataDir, "audit", "verify");
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("altered-row: row 2 (chain position 2) was altered");
  }, 180_000);

  it("names a re-hashed tail and a cut tail made by a database superuser", async () => {
    const dataDir = await freshFolder();
    await writeRows(dataDir, ["person.view", "person.view", "person.update", "person.view"]);
    expect((await trellis(dataDir, "audit", "checkpoint")).code).toBe(0);

    let database = await openEmbedded(dataDir);
    await rewriteAndRehash(database, 3, "action = 'person.view'");
    await database.close();
    const rehashed = await trellis(dataDir, "audit", "verify");
    expect(rehashed.code).toBe(1);
    expect(rehashed.stderr).toContain("rehashed-tail");
    expect(rehashed.stderr).not.toContain("altered-row");

    database = await openEmbedded(dataDir);
    await tamper(database, "delete from audit_seal; delete from audit_log where seq > 1");
    await database.close();
    const cut = await trellis(dataDir, "audit", "verify");
    expect(cut.code).toBe(1);
    expect(cut.stderr).toContain("truncated-tail");
  }, 180_000);
});
