import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import path from "node:path";
import { StartupError } from "./startup.ts";

/**
 * The embedded database's data folder, held by one process at a time. PGlite is PostgreSQL in
 * one process with no shared-memory lock of its own: two processes writing one folder lose
 * saved work and can leave it unopenable. So the first process creates `trellis.lock` in the
 * folder atomically (O_EXCL) holding its process id; another process is told who holds it. A
 * lock left by a process that has died (a crash, kill -9) is taken over.
 */
export const LOCK_FILE = "trellis.lock";

/** Folders this process holds, so opening the same folder twice in one process is refused too. */
const heldHere = new Set<string>();

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

function notWritable(dir: string, error: unknown): StartupError {
  return new StartupError(
    `The data folder ${dir} cannot be written (${errorCode(error) ?? String(error)}). ` +
      "Give this user write access to it, or set DATA_DIR to a folder it can write.",
  );
}

/**
 * Checks that DATA_DIR can be a folder and creates it. Every existing part of the path must be
 * a folder: Node's recursive mkdir can spin for ever under a regular file, so look first.
 */
export async function prepareDataFolder(dir: string): Promise<void> {
  for (let at = dir; ; at = path.dirname(at)) {
    const found = await stat(at).catch((error: unknown) => {
      const code = errorCode(error);
      if (code === "ENOENT" || code === "ENOTDIR") return undefined;
      throw notWritable(at, error);
    });
    if (found) {
      if (!found.isDirectory()) {
        throw new StartupError(
          `DATA_DIR ${dir} cannot be a folder: ${at} is a file, not a folder. ` +
            "Set DATA_DIR to a folder path (the default is ./data/pglite).",
        );
      }
      break;
    }
    if (path.dirname(at) === at) break;
  }
  await mkdir(dir, { recursive: true }).catch((error: unknown) => {
    throw notWritable(dir, error);
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return errorCode(error) === "EPERM";
  }
}

function holderOf(lockPath: string): number | undefined {
  try {
    const pid = Number(readFileSync(lockPath, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the data folder for this process; returns the function that lets it go (also run at
 * exit). Refuses, naming the holder, when another running process has it.
 */
export async function holdDataFolder(dir: string): Promise<() => void> {
  await prepareDataFolder(dir);
  const lockPath = path.join(dir, LOCK_FILE);
  if (heldHere.has(lockPath)) {
    throw new StartupError(`The data folder ${dir} is already open in this process.`);
  }
  for (let tries = 0; tries < 2; tries += 1) {
    let fd: number;
    try {
      fd = openSync(lockPath, "wx", 0o644);
    } catch (error) {
      if (errorCode(error) !== "EEXIST") throw notWritable(dir, error);
      const holder = holderOf(lockPath);
      // Our own pid in a lock we do not hold is a leftover (a restarted container is pid 1 again).
      if (holder !== undefined && holder !== process.pid && isRunning(holder)) {
        throw new StartupError(
          `The data folder ${dir} is in use by process ${String(holder)} (a running Trellis server or command). ` +
            "Stop that process first (Ctrl+C where it runs), or use the running server's pages; " +
            `two processes on one embedded database lose saved work. If no Trellis process is running, delete ${lockPath}.`,
        );
      }
      unlinkSync(lockPath);
      continue;
    }
    writeSync(fd, `${String(process.pid)}\n`);
    closeSync(fd);
    heldHere.add(lockPath);
    const release = (): void => {
      process.off("exit", release);
      if (!heldHere.delete(lockPath)) return;
      if (holderOf(lockPath) === process.pid) unlinkSync(lockPath);
    };
    process.on("exit", release);
    return release;
  }
  throw new StartupError(`The data folder ${dir} could not be locked: try again.`);
}

/** The message for a data folder PGlite cannot open (it aborts on damaged files). */
export function damagedDataFolder(dir: string, error: unknown): StartupError {
  const cause = error instanceof Error ? error.message : String(error);
  return new StartupError(
    `The data folder ${dir} could not be opened; it may be damaged (${cause.split("\n")[0] ?? ""}). ` +
      `Move it aside (for example: mv ${dir} ${dir}.damaged) to start afresh with demo data, or restore a copy.`,
  );
}
