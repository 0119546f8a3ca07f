/**
 * Shared helpers for the browser tests: start the real service (`node bin/trellis.js start`) on
 * a free port with a fresh database, drive Debian's Chromium through playwright-core, sign in
 * as a demo user, and run axe-core accessibility checks.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { AxeResults } from "axe-core";
import pg from "pg";
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from "playwright-core";
import { expect } from "vitest";
import { demoPassword } from "../../src/demo/generate.ts";
import { openServer } from "../../src/platform/database.ts";
import { createRoles, defaultRoles, grantRoles } from "../../src/platform/roles.ts";

const require = createRequire(import.meta.url);
const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/** Every demo user's password. */
export const DEMO_PASSWORD = demoPassword;

export const users = {
  socialWorker: "social.worker@northmoor.example",
  teamManager: "team.manager@northmoor.example",
  otherSocialWorker: "other.social.worker@northmoor.example",
  police: "police.officer@northmoor.example",
  systemAdmin: "system.admin@northmoor.example",
  performanceAnalyst: "performance.analyst@northmoor.example",
} as const;

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const SCREENSHOT_DIR = path.join(repoRoot, "test-results");

export interface RunningService {
  baseUrl: string;
  /** Everything the service printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "localhost", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

function withUser(url: string, user: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = "";
  return u.toString();
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A database for one service, owned by the owner role, with the runtime role's grants. */
async function prepareServerDatabase(serverUrl: string, databaseName: string): Promise<void> {
  const admin = openServer(serverUrl, 1);
  try {
    await createRoles(admin, defaultRoles);
    await admin.exec(`create database ${databaseName} owner ${defaultRoles.owner}`);
  } finally {
    await admin.close();
  }
  const inDatabase = openServer(withDatabase(serverUrl, databaseName), 1);
  try {
    await grantRoles(inDatabase, defaultRoles);
  } finally {
    await inDatabase.close();
  }
}

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else
      child.once("exit", () => {
        resolve();
      });
  });
}

/**
 * Starts the service with an empty database (a temporary PGlite folder, or a dedicated database
 * on the DATABASE_URL server), so the demo local authority is generated on start, and waits for
 * GET /health to answer 200.
 */
export async function startService(): Promise<RunningService> {
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(tmpdir(), "trellis-e2e-"));
  const serverUrl = process.env.DATABASE_URL;
  const databaseName = `trellis_e2e_${randomBytes(6).toString("hex")}`;
  if (serverUrl) await prepareServerDatabase(serverUrl, databaseName);

  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir };
  delete env.BASE_URL;
  delete env.OIDC_ISSUER;
  // As in production: the owner migrates, the service runs as the runtime role (decision 0017).
  if (serverUrl) {
    const url = withDatabase(serverUrl, databaseName);
    env.MIGRATION_DATABASE_URL = withUser(url, defaultRoles.owner);
    env.DATABASE_URL = withUser(url, defaultRoles.runtime);
  } else delete env.DATABASE_URL;

  const child = spawn(process.execPath, ["bin/trellis.js", "start"], {
    cwd: repoRoot,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const done = exited(child);

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await done;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
    if (serverUrl) {
      await adminQuery(serverUrl, `drop database if exists ${databaseName} with (force)`);
    }
  };

  const baseUrl = `http://localhost:${String(port)}`;
  const deadline = Date.now() + 110_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`The service exited before it was ready:\n${log}`);
    }
    try {
      const response = await fetch(`${baseUrl}/health`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The service did not answer GET /health in time:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { baseUrl, output: () => log, stop };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A fresh browser context (its own cookies) whose pages resolve paths against the service. */
export async function newContext(
  browser: Browser,
  service: RunningService,
  options: { bypassCSP?: boolean } = {},
): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: service.baseUrl,
    bypassCSP: options.bypassCSP ?? false,
    viewport: { width: 1280, height: 900 },
  });
}

/** Fills in and submits the sign-in form; does not check the outcome. */
export async function submitSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await clickAndLoad(page, page.getByRole("button", { name: "Sign in", exact: true }));
}

/** Signs in with the demo password and checks the home page greets a signed-in user. */
export async function signIn(page: Page, email: string): Promise<void> {
  await submitSignIn(page, email, DEMO_PASSWORD);
  const url = new URL(page.url());
  if (url.pathname !== "/") {
    const body = await page.locator("body").innerText();
    throw new Error(`Signing in as ${email} did not reach the home page (${url.href}):\n${body}`);
  }
  await page.getByRole("heading", { level: 1, name: /^Hello, / }).waitFor();
}

/** Path of a link within a page, e.g. "/people/<uuid>". */
export async function hrefOf(locator: Locator): Promise<string> {
  const href = await locator.getAttribute("href");
  if (!href) throw new Error("the link has no href");
  return href;
}

/** Changes the last letter of a name to another letter (a one-letter misspelling). */
export function misspell(name: string): string {
  for (let i = name.length - 1; i >= 0; i--) {
    const c = name.charAt(i);
    if (/[a-z]/i.test(c)) {
      const replacement = c.toLowerCase() === "x" ? "q" : "x";
      return name.slice(0, i) + replacement + name.slice(i + 1);
    }
  }
  throw new Error(`no letter to change in ${name}`);
}

export interface AxeProblem {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core on the current page and returns its serious and critical violations. The page's
 * Content-Security-Policy forbids injected scripts, so the context must be made with
 * `bypassCSP: true`.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeProblem[]> {
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run(): Promise<AxeResults> } }).axe.run(),
  );
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      id: v.id,
      impact: v.impact ?? "",
      help: v.help,
      targets: v.nodes.map((n) => n.target.map(String).join(" ")),
    }));
}

export function describeAxeProblems(pageName: string, problems: AxeProblem[]): string {
  return problems
    .map((p) => `${pageName}: [${p.impact}] ${p.id} (${p.help}) at ${p.targets.join(", ")}`)
    .join("\n");
}

/** Fails with axe's serious and critical problems on the page, naming its path. */
export async function expectAccessible(page: Page): Promise<void> {
  const problems = await seriousAxeViolations(page);
  expect(problems, describeAxeProblems(new URL(page.url()).pathname, problems)).toEqual([]);
}

/**
 * Clicks something that loads a new document and waits for that document, not the current one:
 * waitForLoadState alone returns at once because the page being left is already loaded.
 */
export async function clickAndLoad(page: Page, target: Locator): Promise<void> {
  const loaded = page.waitForEvent("domcontentloaded");
  await target.click();
  await loaded;
}

/** Presses a form's button and fails with the error summary's text if the form is refused. */
export async function submit(page: Page, button: string): Promise<void> {
  await clickAndLoad(page, page.getByRole("button", { name: button, exact: true }));
  const problem = page.locator(".govuk-error-summary");
  if ((await problem.count()) > 0) throw new Error(await problem.innerText());
}

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

/** Today's date in England, as the service sees it. */
export function today(): DateParts {
  const [year = "", month = "", day = ""] = new Date()
    .toLocaleDateString("en-CA", { timeZone: "Europe/London" })
    .split("-");
  return { day: String(Number(day)), month: String(Number(month)), year };
}

/** Fills a GOV.UK date input, found by its legend, with the date (today by default). */
export async function fillDate(
  page: Page,
  legend: string | RegExp,
  date: DateParts = today(),
): Promise<void> {
  const group = page.getByRole("group", { name: legend });
  await group.getByLabel("Day").fill(date.day);
  await group.getByLabel("Month").fill(date.month);
  await group.getByLabel("Year").fill(date.year);
}
