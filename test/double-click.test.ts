import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * A double click on a GOV.UK submit button sends the form once: GOV.UK Frontend ignores the
 * second click within a second when the button says `data-prevent-double-click`. The server
 * saves a resubmission once anyway (decision 0018); this keeps most of them from being sent.
 */

async function templates(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.filter((f) => f.endsWith(".njk")).map((f) => path.join(dir, f));
}

describe("submit buttons", () => {
  it("prevent double clicks in every template", async () => {
    const missing: string[] = [];
    for (const file of await templates(path.resolve("src"))) {
      const text = await readFile(file, "utf8");
      for (const call of text.match(/govukButton\(\{[\s\S]*?\}\)/g) ?? []) {
        // A button that is a link (href) submits nothing.
        if (!call.includes("href:") && !call.includes("preventDoubleClick: true")) {
          missing.push(`${path.relative("src", file)}: ${call}`);
        }
      }
      for (const tag of text.match(/<button[^>]*>/g) ?? []) {
        if (!tag.includes('type="button"') && !tag.includes('data-prevent-double-click="true"')) {
          missing.push(`${path.relative("src", file)}: ${tag}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
