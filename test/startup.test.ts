import { execFile, spawn, type ChildProcess } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { openEmbedded } from "../src/platform/database.ts";
import { LOCK_FILE } from "../src/platform/data-folder.ts";
import { migrate } from "../src/platform/migrate.ts";
import { StartupError } from "../src/platform/startup.ts";

/**
 * Start-up problems are told in one plain line with what to do, never a stack trace or a hang;
 * and an embedded data folder is used by one process at a time. Each runs the real CLI.
 */
const run = promisify(execFile);
const dirs: string[] = [];
const servers: ChildProcess[] = [];
afterAll(async () => {
  for (const server of servers) server.kill("SIGKILL");
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function scratch(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "trellis-startup-"));
  dirs.push(dir);
  return dir;
}

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** The test runner's environment without what it adds (Vite sets BASE_URL to "/"). */
function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const dropped = new Set(["BASE_URL", "DATABASE_URL", "OIDC_ISSUER", "PORT"]);
  const inherited = Object.entries(process.env).filter(([name]) => !dropped.has(name));
  return { ...Object.fromEntries(inherited), ...env };
}

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs `trellis <args>` with the given environment; a hang is killed and fails the test. */
async function trellis(
  env: Record<string, string>,
  args: string[],
  options: { uid?: number; gid?: number } = {},
): Promise<Ran> {
  const childEnv = cleanEnv(env);
  try {
    const { stdout, stderr } = await run("node", ["bin/trellis.js", ...args], {
      env: childEnv,
      timeout: 60_000,
      ...options,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number | null; killed?: boolean; stdout: string; stderr: string };
    if (e.killed) throw new Error(`trellis ${args.join(" ")} hung and was killed`);
    return { code: e.code ?? -1, stdout: e.stdout, stderr: e.stderr };
  }
}

/** One line, naming the problem, no stack trace. */
function expectPlainRefusal(ran: Ran, words: string): void {
  expect(ran.code).toBe(1);
  expect(ran.stderr).toContain(words);
  expect(ran.stderr).not.toMatch(/^\s+at /m);
  expect(ran.stderr.trim().split("\n")).toHaveLength(1);
}

describe("clear start-up errors", () => {
  it("refuses a PORT outside 1 to 65535", async () => {
    const ran = await trellis({ PORT: "99999", DATA_DIR: await scratch() }, ["migrate"]);
    expectPlainRefusal(ran, 'PORT is "99999": it must be a whole number from 1 to 65535');
  });

  it("refuses a DATABASE_URL that is not a PostgreSQL URL, before trying to connect", async () => {
    const ran = await trellis({ DATABASE_URL: "not-a-url" }, ["migrate"]);
    expectPlainRefusal(ran, "DATABASE_URL is not a PostgreSQL URL");
    expect(ran.stderr).not.toContain("ENOTFOUND");
  });

  it("says plainly when the PostgreSQL server cannot be reached", async () => {
    const ran = await trellis({ DATABASE_URL: "postgres://trellis@127.0.0.1:1/trellis" }, [
      "migrate",
    ]);
    expectPlainRefusal(ran, "Could not connect to the PostgreSQL server");
  });

  it("refuses a DATA_DIR under a regular file without hanging", async () => {
    const dir = await scratch();
    const file = path.join(dir, "notes.txt");
    await writeFile(file, "a file, not a folder");
    const ran = await trellis({ DATA_DIR: path.join(file, "pglite") }, ["migrate"]);
    expectPlainRefusal(ran, `${file} is a file, not a folder`);
  }, 90_000);

  it("refuses a data folder this user cannot write", async () => {
    const dir = path.join(await scratch(), "pglite");
    await mkdir(dir);
    await chmod(path.dirname(dir), 0o755);
    await chmod(dir, 0o555);
    // Root writes anywhere, so as root the CLI runs as the unprivileged user "nobody".
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const ran = await trellis({ DATA_DIR: dir, HOME: tmpdir() }, ["migrate"], asNobody);
    expectPlainRefusal(ran, `The data folder ${dir} cannot be written`);
  }, 90_000);

  it("says what to do with a damaged data folder instead of aborting", async () => {
    const dir = await scratch();
    expect((await trellis({ DATA_DIR: dir }, ["migrate"])).code).toBe(0);
    await truncate(path.join(dir, "global", "pg_control"), 100);
    const ran = await trellis({ DATA_DIR: dir }, ["migrate"]);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain(`The data folder ${dir} could not be opened; it may be damaged`);
    expect(ran.stderr).toContain("Move it aside");
    expect(ran.stderr).not.toMatch(/^\s+at /m);
  }, 120_000);

  it("refuses to start with no migrations rather than run on an empty schema", async () => {
    const empty = await scratch();
    const database = await openEmbedded(undefined);
    try {
      await expect(migrate(database, empty)).rejects.toThrow(StartupError);
      await expect(migrate(database, empty)).rejects.toThrow(/No migrations found in/);
    } finally {
      await database.close();
    }
  });
});

/** Starts `trellis serve` on the folder and resolves once it is listening. */
async function startServer(dataDir: string): Promise<ChildProcess> {
  const env = cleanEnv({ DATA_DIR: dataDir, PORT: String(await freePort()) });
  const server = spawn("node", ["bin/trellis.js", "serve"], { env, stdio: "pipe" });
  servers.push(server);
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`server did not start: ${output}`));
    }, 90_000);
    const listen = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes("Trellis is running")) {
        clearTimeout(timer);
        resolve();
      }
    };
    server.stdout.on("data", listen);
    server.stderr.on("data", listen);
    server.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${String(code)}): ${output}`));
    });
  });
  return server;
}

describe("one process per embedded data folder", () => {
  it("tells a second process the folder is in use by the running server, and lets it in once the server stops", async () => {
    const dataDir = await scratch();
    const server = await startServer(dataDir);
    const lock = await readFile(path.join(dataDir, LOCK_FILE), "utf8");
    expect(Number(lock.trim())).toBe(server.pid);

    const refused = await trellis({ DATA_DIR: dataDir }, ["audit", "verify"]);
    expectPlainRefusal(refused, `is in use by process ${String(server.pid)}`);
    expect(refused.stderr).toContain("Stop that process first");

    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
    const verified = await trellis({ DATA_DIR: dataDir }, ["audit", "verify"]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain("chain intact");
  }, 240_000);

  it("takes over a lock left by a process that died", async () => {
    const dataDir = await scratch();
    const dead = spawn("node", ["-e", ""]);
    await new Promise((resolve) => dead.once("exit", resolve));
    await writeFile(path.join(dataDir, LOCK_FILE), `${String(dead.pid)}\n`);
    const ran = await trellis({ DATA_DIR: dataDir }, ["migrate"]);
    expect(ran.code).toBe(0);
    await expect(readFile(path.join(dataDir, LOCK_FILE))).rejects.toThrow(/ENOENT/);
  }, 120_000);

  it("refuses a second open of a held folder in the same process too", async () => {
    const dataDir = await scratch();
    const first = await openEmbedded(dataDir);
    try {
      await expect(openEmbedded(dataDir)).rejects.toThrow(/already open in this process/);
    } finally {
      await first.close();
    }
    const again = await openEmbedded(dataDir);
    await again.close();
  }, 120_000);
});
