import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertCinPlan } from "../src/modules/visits/test-plans.ts";
import { openEmbedded } from "../src/platform/database.ts";
import { migrate } from "../src/platform/migrate.ts";
import { startFeedRig, type FeedRig } from "./support/dfe-feed.ts";
import { buildWorld } from "./support/world.ts";

const run = promisify(execFile);
let dir = "";
let dataDir = "";
let rig: FeedRig;

/** Runs `trellis returns feed ...` as the daily job would, on an embedded database folder. */
async function feed(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const full: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, ...env };
  delete full.DATABASE_URL;
  try {
    const { stdout, stderr } = await run("node", ["bin/trellis.js", "returns", "feed", ...args], {
      env: full,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const configured = () => ({
  DFE_FEED_URL: rig.settings.baseUrl,
  DFE_FEED_TOKEN_URL: rig.settings.tokenUrl,
  DFE_FEED_CLIENT_ID: rig.settings.clientId,
  DFE_FEED_CLIENT_SECRET: rig.settings.clientSecret,
});

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "trellis-feed-cli-"));
  dataDir = path.join(dir, "pglite");
  rig = await startFeedRig();
  const database = await openEmbedded(dataDir);
  await migrate(database);
  const world = await buildWorld(database.db);
  const who = { laId: world.laId, personId: world.people.childA1, userId: world.users.swA.id };
  await insertCinPlan(database.db, who, "2025-09-01");
  await database.close();
}, 120_000);

afterAll(async () => {
  await rig.close();
  await rm(dir, { recursive: true, force: true });
});

describe("npx trellis returns feed", () => {
  it("says clearly that the feed is not configured, exits 1 and sends nothing", async () => {
    const result = await feed({});
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/The DfE feed is not configured: set DFE_FEED_URL/);
    expect(rig.receiver.answered).toEqual([]);
  });

  it("refuses a partial configuration, naming what is missing", async () => {
    const result = await feed({ DFE_FEED_URL: rig.settings.baseUrl });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/partly configured: DFE_FEED_TOKEN_URL, DFE_FEED_CLIENT_ID/);
  });

  it("asks which council when there are two, and names an unknown code", async () => {
    expect((await feed(configured(), "--dry-run")).code).toBe(2);
    const unknown = await feed(configured(), "--la", "123");
    expect(unknown).toMatchObject({ code: 2 });
    expect(unknown.stderr).toContain("no council has the code 123");
  });

  it("on --dry-run builds and checks the documents, and sends nothing", async () => {
    const result = await feed({}, "--dry-run", "--la", "901");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "DfE feed (dry run, nothing sent): 1 children in scope, 0 unchanged; 1 to send, 0 invalid.",
    );
    expect(rig.receiver.answered).toEqual([]);
  });

  it("sends the changed child, prints a summary without the secret, then sends nothing", async () => {
    const first = await feed(configured(), "--la", "901");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^DfE feed: 1 children in scope, 0 unchanged; sent 1 \(of which purged 0\), rejected 0, failed 0, invalid 0\.$/m,
    );
    expect(first.stdout + first.stderr).not.toContain(rig.settings.clientSecret);
    expect(rig.receiver.accepted).toHaveLength(1);
    const second = await feed(configured(), "--la", "901");
    expect(second.stdout).toContain("1 unchanged; sent 0");
    expect(rig.receiver.accepted).toHaveLength(1);
  });
});
