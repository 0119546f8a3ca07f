/**
 * Signing in and out, and the add-a-person form's validation, through the real pages.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  clickAndLoad,
  DEMO_PASSWORD,
  launchBrowser,
  newContext,
  signIn,
  startService,
  submitSignIn,
  users,
  type RunningService,
} from "./support.ts";

let service: RunningService;
let browser: Browser;

beforeAll(async () => {
  service = await startService();
  browser = await launchBrowser();
});

afterAll(async () => {
  // Either may be missing if beforeAll failed part-way.
  await (browser as Browser | undefined)?.close();
  await (service as RunningService | undefined)?.stop();
});

async function freshPage(): Promise<Page> {
  const context = await newContext(browser, service);
  return context.newPage();
}

/** Searches by name as the signed-in user and returns the heading, e.g. "0 people found". */
async function searchFor(page: Page, name: string): Promise<string> {
  await page.goto(`/people?name=${encodeURIComponent(name)}`);
  return page.locator("h2", { hasText: /found$/ }).innerText();
}

describe("signing in", () => {
  it("with a wrong password shows the GOV.UK error summary and does not sign in", async () => {
    const page = await freshPage();
    await submitSignIn(page, users.performanceAnalyst, "not-the-password");

    expect(new URL(page.url()).pathname).toBe("/sign-in");
    const summary = page.locator(".govuk-error-summary");
    await expect(summary.locator("h2").innerText()).resolves.toBe("There is a problem");
    await expect(summary.innerText()).resolves.toContain(
      "Enter a correct email address and password",
    );
    await expect(page.title()).resolves.toMatch(/^Error: /);
    // The email is kept; the password is not echoed back.
    await expect(page.getByLabel("Email address").inputValue()).resolves.toBe(
      users.performanceAnalyst,
    );
    await expect(page.getByLabel("Password", { exact: true }).inputValue()).resolves.toBe("");
    // Still signed out: the home page sends us back to sign in.
    await page.goto("/");
    expect(new URL(page.url()).pathname).toBe("/sign-in");

    // The right password then works (so the refusal above was about the password).
    await submitSignIn(page, users.performanceAnalyst, DEMO_PASSWORD);
    expect(new URL(page.url()).pathname).toBe("/");
    await page.context().close();
  });
});

describe("signing out", () => {
  it("ends the session on the server, not just in the browser", async () => {
    const page = await freshPage();
    await signIn(page, users.socialWorker);
    const cookies = await page.context().cookies();
    const cookieHeader = cookies.map((c) => `${c.name}=${c.value}`).join("; ");
    const before = await fetch(`${service.baseUrl}/`, {
      headers: { cookie: cookieHeader },
      redirect: "manual",
    });
    expect(before.status).toBe(200);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((url) => url.pathname === "/sign-in");
    await expect(page.getByRole("button", { name: "Sign out" }).count()).resolves.toBe(0);

    await page.goto("/");
    const url = new URL(page.url());
    expect(url.pathname).toBe("/sign-in");
    expect(url.searchParams.get("next")).toBe("/");

    // The old session cookie, replayed, no longer opens anything.
    const after = await fetch(`${service.baseUrl}/`, {
      headers: { cookie: cookieHeader },
      redirect: "manual",
    });
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toMatch(/^\/sign-in/);
    await page.context().close();
  });
});

describe("adding a person", () => {
  // A name no demo person has, nor anything close to it.
  const givenName = "Zephyrine";
  const familyName = "Quorndonwick";

  it("with an invalid NHS number and a future date of birth names both and saves nothing", async () => {
    const page = await freshPage();
    await signIn(page, users.socialWorker);
    await expect(searchFor(page, familyName)).resolves.toBe("0 people found");

    await page.goto("/people/new");
    await page.getByLabel("First name").fill(givenName);
    await page.getByLabel("Last name").fill(familyName);
    const nextYear = new Date().getFullYear() + 1;
    await page.getByLabel("Day").fill("12");
    await page.getByLabel("Month").fill("5");
    await page.getByLabel("Year").fill(String(nextYear));
    await page.getByLabel("NHS number", { exact: true }).fill("943 476 5918");
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForLoadState("domcontentloaded");

    const summary = page.locator(".govuk-error-summary");
    await expect(summary.locator("h2").innerText()).resolves.toBe("There is a problem");
    const links = summary.locator("a");
    const problems = await Promise.all(
      (await links.all()).map(async (a) => ({
        href: await a.getAttribute("href"),
        text: await a.innerText(),
      })),
    );
    expect(problems).toHaveLength(2);
    expect(problems).toContainEqual({
      href: "#nhsNumber",
      text: expect.stringMatching(/NHS number/) as unknown,
    });
    expect(problems).toContainEqual({
      href: "#dateOfBirth-day",
      text: "Date of birth must be today or in the past",
    });
    // Each summary link leads to a field on the page, and that field shows its own error.
    await expect(page.locator("#nhsNumber").count()).resolves.toBe(1);
    await expect(page.locator("#dateOfBirth-day").count()).resolves.toBe(1);
    await expect(page.locator("#nhsNumber-error").innerText()).resolves.toContain("NHS number");
    await expect(page.locator("#dateOfBirth-error").innerText()).resolves.toContain(
      "Date of birth must be today or in the past",
    );
    // What was typed is kept.
    await expect(page.getByLabel("Last name").inputValue()).resolves.toBe(familyName);

    await expect(searchFor(page, familyName)).resolves.toBe("0 people found");

    // Corrected, the same person saves and then is found: so the search above could find them.
    await page.goto("/people/new");
    await page.getByLabel("First name").fill(givenName);
    await page.getByLabel("Last name").fill(familyName);
    await clickAndLoad(page, page.getByRole("button", { name: "Save" }));
    // The details are checked against Trellis first; nobody matches this name.
    await expect(page.getByTestId("no-match").innerText()).resolves.toContain("No record");
    await clickAndLoad(page, page.getByRole("button", { name: "Add the person" }));
    await page.waitForURL(/\/people\/[0-9a-f-]{36}$/);
    await expect(page.locator("h1").innerText()).resolves.toContain(`${givenName} ${familyName}`);
    await expect(searchFor(page, familyName)).resolves.toBe("1 person found");
    await page.context().close();
  });
});
