/**
 * The statutory journey in the browser: a social worker takes a new child from contact to
 * closure, with a team manager deciding on the contact, authorising the assessment, seeing the
 * team's work and reallocating.
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
let sw: Page;
let tm: Page;
let swName = "";
/** The new child's record path, e.g. /people/<id>. */
let childPath = "";

beforeAll(async () => {
  service = await startService();
  browser = await launchBrowser();
  // axe is injected as a script, so these pages run without the CSP (casework.test.ts checks it).
  sw = await (await newContext(browser, service, { bypassCSP: true })).newPage();
  await signIn(sw, users.socialWorker);
  swName = (await sw.locator("h1").innerText()).replace(/^Hello, /, "").trim();
  tm = await (await newContext(browser, service, { bypassCSP: true })).newPage();
  await signIn(tm, users.teamManager);
});

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (service as RunningService | undefined)?.stop();
});

async function openJourney(page: Page): Promise<void> {
  await page.goto(`${childPath}/journey`);
  await page.getByRole("heading", { level: 1, name: "Statutory journey" }).waitFor();
}

describe("from contact to closure", () => {
  it("records a contact about a new child, which the manager decides and allocates", async () => {
    await sw.goto("/people/new");
    await sw.getByLabel("First name").fill("Juniper");
    await sw.getByLabel("Last name").fill("Journeyman");
    await sw
      .getByRole("group", { name: /Date of birth/ })
      .getByLabel("Day")
      .fill("14");
    await sw
      .getByRole("group", { name: /Date of birth/ })
      .getByLabel("Month")
      .fill("9");
    await sw
      .getByRole("group", { name: /Date of birth/ })
      .getByLabel("Year")
      .fill("2017");
    // A child's record carries the NHS number or says why not (s16LC, decision 0023).
    await sw.getByLabel(/not known, and finding it out/).check();
    await sw
      .getByLabel(/Note on why the NHS number is not recorded/)
      .fill("Not known yet; the contact is urgent");
    await submit(sw, "Save");
    // Trellis looks for the child first: nobody like Juniper is on the demo.
    await sw.getByTestId("no-match").waitFor();
    await submit(sw, "Add the person");
    childPath = new URL(sw.url()).pathname;
    expect(childPath).toMatch(/^\/people\/[0-9a-f-]{36}$/);

    await sw.getByRole("link", { name: "Statutory journey" }).click();
    await sw.getByRole("link", { name: "Record a contact" }).click();
    await sw
      .getByLabel("Who made the contact (referral source)")
      .selectOption({ label: "SCHOOLS" });
    await sw.getByLabel("Reasons for the contact").fill("Teacher saw bruises on Juniper's arms.");
    expect(await sw.getByLabel("Juniper Journeyman").isChecked()).toBe(true);
    await expectAccessible(sw);
    await submit(sw, "Record contact");
    await expect(sw.locator("h1").innerText()).resolves.toContain("Contact about Juniper");

    await tm.goto("/front-door");
    await tm.getByRole("link", { name: /Juniper Journeyman/ }).click();
    await tm.getByLabel("Child and family assessment").check();
    await tm.getByLabel("Reason for the decision").fill("Injury needs assessment today.");
    const allocate = tm.getByLabel(/Allocate to/);
    const worker = await allocate
      .locator("option", { hasText: swName })
      .first()
      .getAttribute("value");
    await allocate.selectOption(worker ?? "");
    await expectAccessible(tm);
    await submit(tm, "Record decision");
    await expect(tm.locator("body").innerText()).resolves.toContain("Child and family assessment");
  });

  it("completes the assessment, which the manager authorises", async () => {
    // The decision created the assessment as work for the allocated worker (decision 0020).
    await sw.goto("/my-work");
    await expect(sw.getByTestId("tray").innerText()).resolves.toContain(
      "Complete the child and family assessment",
    );
    await openJourney(sw);
    await sw.getByTestId("assessments").getByRole("link").first().click();
    await sw
      .getByLabel("Analysis of the child's needs")
      .fill("Unexplained injuries; parents dispute.");
    await sw.locator('input[name="factors"][value="3A"]').check();
    await sw.getByLabel("Strategy discussion").check();
    await expectAccessible(sw);
    await submit(sw, "Complete assessment");
    const assessmentUrl = sw.url();

    await tm.goto(assessmentUrl);
    await submit(tm, "Authorise assessment");
    await expect(tm.getByText("Authorised").first().isVisible()).resolves.toBe(true);
  });

  it("holds a strategy discussion with all 3 statutory partners, which starts an S47", async () => {
    await openJourney(sw);
    await sw.getByRole("link", { name: "Record a strategy discussion" }).click();
    await fillDate(sw, "When was the strategy discussion held?");
    await sw
      .getByLabel("Concerns discussed")
      .fill("Unexplained bruising; father's account changes.");
    const attendees: [string, string][] = [
      ["Children's services", "Sam Lead"],
      ["Police", "DC Rowan Hill"],
      ["Health (NHS)", "Dr Kit Shaw"],
    ];
    for (const [index, [agency, name]] of attendees.entries()) {
      const row = sw.getByRole("group", { name: `Attendee ${String(index + 1)}` });
      await row.getByLabel("Agency").selectOption({ label: agency });
      await row.getByLabel("Name").fill(name);
    }
    await sw.getByLabel("Start a section 47 enquiry").check();
    await expectAccessible(sw);
    await submit(sw, "Save strategy discussion");

    await sw.goto(`${childPath}/protection`);
    await expect(sw.locator("main").innerText()).resolves.toMatch(/All 3 statutory partners\s+Yes/);
    await sw.getByRole("link", { name: /Record outcome/ }).click();
    await fillDate(sw, "When was the enquiry completed?");
    await sw.getByLabel("Initial child protection conference needed").check();
    await sw.getByLabel("What the enquiry found").fill("Concerns substantiated: physical harm.");
    await submit(sw, "Save outcome");
  });

  it("holds the initial conference, which makes a child protection plan", async () => {
    await sw.goto(`${childPath}/protection`);
    await sw.getByRole("link", { name: /Record initial conference/ }).click();
    await fillDate(sw, "When was the conference held?");
    await sw.getByLabel("Child protection plan", { exact: true }).check();
    await sw.getByLabel("Physical abuse").check();
    await expectAccessible(sw);
    await submit(sw, "Save conference");
    await sw.goto(`${childPath}/protection`);
    await expect(sw.locator("main").innerText()).resolves.toContain("Open plan started");
  });

  it("lets the manager see the team's work and reallocate the child", async () => {
    await tm.goto("/my-team");
    // The plan's first core group is due within 10 working days of the conference.
    const rows = tm.getByTestId("tray").getByRole("row").filter({ hasText: "Juniper Journeyman" });
    await expect(rows.filter({ hasText: "First core group meeting" }).count()).resolves.toBe(1);
    await expectAccessible(tm);

    await tm.goto("/caseloads");
    // Each worker's children are listed in a collapsed details element.
    await expect(tm.locator("main").textContent()).resolves.toContain("Juniper Journeyman");
    await tm.goto(`${childPath}/allocations`);
    await clickAndLoad(tm, tm.getByRole("link", { name: /Reallocate Juniper Journeyman/ }));
    const select = tm.getByLabel("New worker");
    const options = await select.locator("option").allInnerTexts();
    const other = options.find(
      (text) => text.trim() !== "" && !text.includes(swName) && !/choose/i.test(text),
    );
    if (!other) throw new Error(`no other worker to reallocate to among: ${options.join(" | ")}`);
    await select.selectOption({ label: other });
    await tm
      .getByLabel(/Long absence|absence/i)
      .first()
      .check();
    await submit(tm, "Reallocate");
    await tm.goto(`${childPath}/allocations`);
    await expect(tm.locator("main").innerText()).resolves.toContain(
      other.split(",")[0]?.trim() ?? other,
    );
  });

  it("ends the plan at review, steps down to child in need, and closes to early help", async () => {
    await sw.goto(`${childPath}/protection`);
    await sw.getByRole("link", { name: /Record review conference/ }).click();
    await fillDate(sw, "When was the conference held?");
    await sw.getByLabel("The plan ends").check();
    await sw.getByLabel(/stepped down to a child in need plan/).check();
    await submit(sw, "Save conference");

    await openJourney(sw);
    await sw.getByRole("link", { name: "Start a child in need plan" }).click();
    await submit(sw, "Start plan");
    await sw.getByRole("link", { name: "Close the case" }).click();
    await sw.getByLabel(/Services ceased for any other reason/).check();
    await sw.getByLabel("Abuse or neglect").check();
    await sw.getByRole("group", { name: "Step down to early help?" }).getByLabel("Yes").check();
    await expectAccessible(sw);
    await submit(sw, "Close case");
    // Closing ended the worker's allocation (decision 0021): they are back at their work, and
    // the record is the team manager's to find.
    await expect(sw.locator("h1").innerText()).resolves.toBe("My work");
    await tm.goto(`${childPath}/journey`);
    await expect(tm.locator("main").innerText()).resolves.toContain(
      "stepped down from children's social care",
    );

    await tm.goto(`${childPath}/chronology`);
    const timeline = await tm.locator(".moj-timeline").innerText();
    for (const event of [
      "Contact received",
      "Referral",
      "Assessment authorised",
      "Strategy discussion",
      "Section 47 enquiry started",
      "Initial child protection conference",
      "Child protection plan started",
      "Child protection plan ended",
      "Child in need plan started",
      "Case closed",
      "Stepped down",
    ]) {
      expect(timeline, event).toContain(event);
    }
    // Printable: the print button appears once the page's script has run.
    await expect(
      tm.getByRole("button", { name: "Print this chronology" }).isVisible(),
    ).resolves.toBe(true);
    await expectAccessible(tm);
  });
});
