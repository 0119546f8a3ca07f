/**
 * The front door that never loses a child (issue 15), in the browser: a police officer refers
 * a child under a misspelt name; the front door finds the child's existing record by that name
 * and the date of birth and links the referral to it; the manager decides a strategy
 * discussion and allocates; the work is in the worker's My work with its due date; the case
 * later closes and the allocation ends.
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
let police: Page;
let swName = "";
let childPath = "";

const DOB = { day: "21", month: "6", year: "2014" };

beforeAll(async () => {
  service = await startService();
  browser = await launchBrowser();
  const page = async (email: string) => {
    const opened = await (await newContext(browser, service, { bypassCSP: true })).newPage();
    await signIn(opened, email);
    return opened;
  };
  sw = await page(users.socialWorker);
  swName = (await sw.locator("h1").innerText()).replace(/^Hello, /, "").trim();
  tm = await page(users.teamManager);
  police = await page(users.police);
});

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (service as RunningService | undefined)?.stop();
});

describe("a child referred under a misspelt name", () => {
  it("is already known: the social worker added Philippa Thistlewood earlier", async () => {
    await sw.goto("/people/new");
    await sw.getByLabel("First name").fill("Philippa");
    await sw.getByLabel("Last name").fill("Thistlewood");
    await fillDate(sw, /Date of birth/, DOB);
    await sw.getByLabel(/not known, and finding it out/).check();
    await sw.getByLabel(/Note on why the NHS number is not recorded/).fill("Not known yet");
    await submit(sw, "Save");
    await sw.getByTestId("no-match").waitFor();
    await submit(sw, "Add the person");
    childPath = new URL(sw.url()).pathname;
    expect(childPath).toMatch(/^\/people\/[0-9a-f-]{36}$/);
  });

  it("is referred by a police officer as Filipa Thistlewod", async () => {
    await clickAndLoad(police, police.getByRole("link", { name: "Make a referral" }));
    await police.getByLabel("First name").fill("Filipa");
    await police.getByLabel("Last name").fill("Thistlewod");
    await fillDate(police, /Date of birth/, DOB);
    await police
      .getByLabel("What are you worried about, and why are you referring now?")
      .fill("Seen getting into cars with older men near the station.");
    await police.getByLabel("No, they have not been told").check();
    await police
      .getByLabel("If they have not agreed or not been told, why not?")
      .fill("Telling the family may put her at risk.");
    await police.getByLabel("Your job title").fill("Police constable");
    await police.getByLabel("Telephone number").fill("01632 960 002");
    await submit(police, "Send referral");
    await expect(police.locator("main").innerText()).resolves.toContain("Referral sent");
    // The officer cannot open the child's record: it is not shared with the police.
    const record = await police.goto(childPath);
    expect(record?.status()).toBe(404);
  });

  it("is found by the front door from the misspelt name and date of birth, and linked", async () => {
    await tm.goto("/front-door");
    const table = tm.getByTestId("to-identify");
    await clickAndLoad(tm, table.getByRole("link", { name: /Filipa Thistlewod/ }));
    const match = tm.getByLabel(/Philippa Thistlewood, born 21 June 2014/);
    await match.check();
    await expectAccessible(tm);
    await submit(tm, "Link the referral to this record");
    await expect(tm.locator("body").innerText()).resolves.toContain("Philippa Thistlewood");
  });

  it("is decided a strategy discussion, which is in the worker's My work with its due date", async () => {
    await tm.getByLabel("Strategy discussion").check();
    await tm.getByLabel("Reason for the decision").fill("Risk of sexual exploitation.");
    const allocate = tm.getByLabel(/Allocate to/);
    const worker = await allocate
      .locator("option", { hasText: swName })
      .first()
      .getAttribute("value");
    await allocate.selectOption(worker ?? "");
    await submit(tm, "Record decision");

    await sw.goto("/my-work");
    const row = sw
      .getByTestId("tray")
      .getByRole("row")
      .filter({ hasText: "Philippa Thistlewood" })
      .filter({ hasText: "Hold a strategy discussion" });
    await expect(row.count()).resolves.toBe(1);
    // Due the next working day: a date in the row, e.g. "3 December 2026".
    await expect(row.innerText()).resolves.toMatch(/\d{1,2} [A-Z][a-z]+ \d{4}/);
    await expectAccessible(sw);

    // The referrer is told the decision on their own referral.
    await police.goto("/referrals");
    const mine = police.getByTestId("referrals").getByRole("row", { name: /Filipa Thistlewod/ });
    await expect(mine.innerText()).resolves.toContain("Strategy discussion");
  });

  it("closes later, which ends the allocation", async () => {
    await sw.goto(`${childPath}/journey`);
    await clickAndLoad(sw, sw.getByRole("link", { name: "Close the case" }));
    await sw.getByLabel(/Services ceased for any other reason/).check();
    await sw.getByLabel("Abuse or neglect").check();
    await sw.getByRole("group", { name: "Step down to early help?" }).getByLabel("No").check();
    await submit(sw, "Close case");
    await expect(sw.locator("h1").innerText()).resolves.toBe("My work");
    const gone = await sw.goto(childPath);
    expect(gone?.status()).toBe(404);

    await tm.goto(`${childPath}/allocations`);
    await expect(tm.locator("main").innerText()).resolves.toContain("The case closed");
    await expectAccessible(tm);
  });
});
