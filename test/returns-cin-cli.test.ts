import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCinCommand } from "../src/modules/returns/cin-cli.ts";
import { streamProgress } from "../src/modules/returns/run-progress.ts";
import { validateAgainstCinSchema } from "../src/modules/returns/xsd.ts";
import { insertCinPlan } from "../src/modules/visits/test-plans.ts";
import { openEmbedded, type Database } from "../src/platform/database.ts";
import { migrate } from "../src/platform/migrate.ts";
import { freshDatabase, latestAudit } from "./support/database.ts";
import { buildWorld } from "./support/world.ts";

const run = promisify(execFile);
let dir = "";
let dataDir = "";
let database: Database;

/** A stream that keeps what is written to it, as a terminal (isTTY) or as a log file. */
function captured(tty: boolean) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString("utf8"));
      done();
    },
  }) as Writable & { isTTY: boolean; columns: number };
  stream.isTTY = tty;
  stream.columns = 100;
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => chunks.join("") };
}

/** Runs `trellis <args>` as an operator would, on an embedded database folder. */
async function trellis(
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

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "trellis-cin-cli-"));
  database = await freshDatabase();
  const world = await buildWorld(database.db);
  await insertCinPlan(
    database.db,
    { laId: world.laId, personId: world.people.childA1, userId: world.users.swA.id },
    "2025-09-01",
  );
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("trellis returns cin (in this process, on the test database)", () => {
  it("writes the census, audits the council-wide read and exits 1 on error-level failures", async () => {
    const out = path.join(dir, "census.xml");
    const stderr = captured(false);
    const code = await generateCinCommand(
      database.db,
      ["--year", "2025-26", "--out", out, "--la", "901"],
      stderr.stream,
    );
    // The test council's records miss an ethnicity and a primary need: errors, so exit 1.
    expect(code).toBe(1);
    const xml = await readFile(out, "utf8");
    expect(xml).toMatch(/^<\?xml/);
    expect(xml).toContain("<LEA>901</LEA>");
    const schema = await validateAgainstCinSchema(xml);
    expect(schema.errors.length > 0).toBe(!schema.valid);
    // Not a terminal: one plain line a stage, never a redrawn bar.
    const lines = stderr.text().trimEnd().split("\n");
    expect(lines[0]).toBe("Reading the council's records");
    expect(lines[1]).toMatch(/^Writing the census file for \d+ children$/);
    expect(lines[2]).toMatch(/^Checking \d+ children against the DfE's rules \(\d+ rules\)$/);
    expect(stderr.text()).not.toContain("\r");
    const audit = await latestAudit(database);
    expect(audit).toMatchObject({ action: "returns.generate", outcome: "allowed" });
    expect(audit.actor_user_id).toBeNull();
    expect(audit.summary).toMatchObject({
      return: "cin",
      year: "2025-26",
      scope: "council-wide",
      via: "command line",
    });
    expect((audit.summary as { errors: number }).errors).toBeGreaterThan(0);
  });

  it("draws a bar redrawn in place when stderr is a terminal", async () => {
    const stderr = captured(true);
    await generateCinCommand(
      database.db,
      ["--year", "2025-26", "--out", path.join(dir, "tty.xml"), "--la", "901"],
      stderr.stream,
    );
    // One line, redrawn in place (\r) as the run goes, ended once when the run is done.
    const drawn = stderr.text();
    expect(drawn.startsWith("\r")).toBe(true);
    expect(drawn.indexOf("\n")).toBe(drawn.length - 1);
    expect(
      drawn
        .split("\r")
        .slice(1)
        .every((line) => line.trimEnd().length === 0 || line.length >= 99),
    ).toBe(true);
    const bar = captured(true);
    const progress = streamProgress(bar.stream);
    void progress.progress("Checking rules", 12000, 32614, "children");
    await progress.close();
    expect(bar.text()).toBe(
      `\r${"[###########...................] Checking rules: 12,000 of 32,614 children".padEnd(99)}\n`,
    );
  });

  it("refuses bad arguments and an unknown council with exit 2, writing nothing", async () => {
    const before = await latestAudit(database);
    const out = path.join(dir, "nothing.xml");
    const silent = captured(false).stream;
    expect(await generateCinCommand(database.db, ["--year", "1999-00", "--out", out], silent)).toBe(
      2,
    );
    expect(await generateCinCommand(database.db, ["--year", "2025-26"], silent)).toBe(2);
    expect(await generateCinCommand(database.db, ["--year", "2025-26", "--out", out], silent)).toBe(
      2,
    );
    expect(
      await generateCinCommand(
        database.db,
        ["--year", "2025-26", "--out", out, "--la", "999"],
        silent,
      ),
    ).toBe(2);
    expect((await readdir(dir)).includes("nothing.xml")).toBe(false);
    expect((await latestAudit(database)).seq).toBe(before.seq);
  });
});

describe("npx trellis returns cin and returns 903 (the real command, embedded database)", () => {
  beforeAll(async () => {
    dataDir = path.join(dir, "pglite");
    const embedded = await openEmbedded(dataDir);
    await migrate(embedded);
    const world = await buildWorld(embedded.db);
    await insertCinPlan(
      embedded.db,
      { laId: world.laId, personId: world.people.childA1, userId: world.users.swA.id },
      "2025-09-01",
    );
    await embedded.close();
  }, 120_000);

  it("prints the stages on stderr, the summary on stdout, and exits 1 with the file written", async () => {
    const out = path.join(dir, "real.xml");
    const result = await trellis(
      "returns",
      "cin",
      "--year",
      "2025-26",
      "--out",
      out,
      "--la",
      "901",
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Reading the council's records$/m);
    expect(result.stderr).toMatch(/^Checking \d+ children against the DfE's rules \(\d+ rules\)$/m);
    expect(result.stdout).toMatch(/^\d+ ERROR \(\d+\): /m);
    expect(result.stdout).toMatch(
      /Wrote .*real\.xml for council 901: \d+ children, [1-9]\d* errors, \d+ queries/,
    );
    expect(result.stdout).toContain("Fix the errors and run it again before sending");
    expect(await readFile(out, "utf8")).toMatch(/^<\?xml/);
  }, 60_000);

  it("gives the 903 the same progress on stderr", async () => {
    const out = path.join(dir, "903");
    const result = await trellis(
      "returns",
      "903",
      "--year",
      "2024-25",
      "--out",
      out,
      "--la",
      "901",
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^Reading the council's records$/m);
    expect(result.stderr).toMatch(/^Writing the tables \(11 tables\)$/m);
    expect(result.stdout).toMatch(/^Header\.csv: \d+ rows$/m);
  }, 60_000);

  it("lists the command in its usage", async () => {
    const result = await trellis("help");
    expect(result.stderr).toContain("returns cin --year 2024-25 --out FILE.xml [--la CODE]");
  });
});
