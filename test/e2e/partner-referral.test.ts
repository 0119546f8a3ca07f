/**
 * A partner referral in the browser (decision 0025): a police officer refers a child the
 * council does not know; the front door creates the record from the referral and decides; the
 * officer sees the decision on "Referrals you have made", and not the child's record.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  clickAndLoad,
  expectAccessible,
  fillDate,
  launchBrowser,
  newContext,
  signIn,
  startService,
  submit,
  users,
  type RunningService,
} from "./support.ts";

let service: RunningService;
let browser: Browser;
let police: Page;
let tm: Page;
let referralPath = "";

beforeAll(async () => {
  service = await startService();
  browser = await launchBrowser();
  police = await (await newContext(browser, service, { bypassCSP: true })).newPage();
  await signIn(police, users.police);
  tm = await (await newContext(browser, service, { bypassCSP: true })).newPage();
  await signIn(tm, users.teamManager);
});

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (service as RunningService | undefined)?.stop();
});

describe("a police officer refers a child the council does not know", () => {
  it("sends the referral from the home page, keeping what was typed when something is missing", async () => {
    await clickAndLoad(police, police.getByRole("link", { name: "Make a referral" }));
    await police.getByLabel("First name").fill("Juniper");
    await police.getByLabel("Last name").fill("Referralton");
    await fillDate(police, /Date of birth/, { day: "3", month: "5", year: "2016" });
    await police
      .getByLabel("What are you worried about, and why are you referring now?")
      .fill("Found alone at the bus station at 2am.");
    await police.getByLabel("No, they have not been told").check();
    await expectAccessible(police);
    // No job title or telephone number: refused, with the answers kept.
    await clickAndLoad(police, police.getByRole("button", { name: "Send referral" }));
    await expect(police.locator(".govuk-error-summary").innerText()).resolves.toContain(
      "Enter your job title",
    );
    expect(await police.getByLabel("Last name").inputValue()).toBe("Referralton");
    await expectAccessible(police);
    await police
      .getByLabel("If they have not agreed or not been told, why not?")
      .fill("Telling the father could put her at risk tonight.");
    await police.getByLabel("Your job title").fill("Detective constable");
    await police.getByLabel("Telephone number").fill("01632 960 001");
    await submit(police, "Send referral");
    await expect(police.locator("main").innerText()).resolves.toContain("Referral sent");
    referralPath = new URL(police.url()).pathname;
  });

  it("reaches the front door as a child to identify, where the manager creates the record and decides", async () => {
    await tm.goto("/front-door");
    const table = tm.getByTestId("to-identify");
    await expect(table.innerText()).resolves.toContain("Juniper Referralton");
    // The demo's own referral of a child not known to the council waits there too.
    await expect(table.innerText()).resolves.toContain("Maisie Tranter");
    await expectAccessible(tm);
    await clickAndLoad(tm, table.getByRole("link", { name: /Juniper Referralton/ }));
    await expectAccessible(tm);
    await submit(tm, "Create a new record for this child");
    await tm.getByLabel("No further action").check();
    await tm.getByLabel("Reason for the decision").fill("Returned home; police follow-up only.");
    await submit(tm, "Record decision");
    await expect(tm.locator("body").innerText()).resolves.toContain("No further action");
  });

  it("tells the officer the decision, and nothing more", async () => {
    await police.goto("/referrals");
    const row = police.getByTestId("referrals").getByRole("row", { name: /Juniper Referralton/ });
    await expect(row.innerText()).resolves.toContain("No further action");
    await expectAccessible(police);
    await police.goto(referralPath);
    await expect(police.locator("main").innerText()).resolves.not.toContain(
      "police follow-up only",
    );
  });
});
