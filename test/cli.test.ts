import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { writeAudit } from "../src/audit/audit.ts";
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

describe("npx trellis audit verify", () => {
  it("passes on an intact log, then fails and names the row after one is altered", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "trellis-cli-"));
    dirs.push(dataDir);
    const migrated = await trellis(dataDir, "migrate");
    expect(migrated.code).toBe(0);

    let database = await openEmbedded(dataDir);
    await migrate(database);
    for (const action of ["person.view", "person.search", "person.update"]) {
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

    const intact = await trellis(dataDir, "audit", "verify");
    expect(intact.code).toBe(0);
    expect(intact.stdout).toContain("3 rows, chain intact");

    database = await openEmbedded(dataDir);
    await database.exec(
      "alter table audit_log disable trigger audit_log_no_update_delete; update audit_log set outcome = 'denied' where seq = 2;",
    );
    await database.close();

    const broken = await trellis(dataDir, "audit", "verify");
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("BROKEN at row 2");
  }, 120_000);
});
