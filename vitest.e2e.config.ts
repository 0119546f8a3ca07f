import { existsSync } from "node:fs";
import { defineConfig } from "vitest/config";

// Browser journeys need Debian's Chromium (.ci/run installs it). Without it they are left out
// with a warning, so that `npm test` still works on a machine that has only Node.js.
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasChromium = existsSync(chromium);
if (!hasChromium) {
  console.warn(
    `\nBrowser tests NOT run: no Chromium at ${chromium}. Install it (apt-get install chromium) or set CHROMIUM_PATH.\n`,
  );
}

export default defineConfig({
  test: {
    include: hasChromium ? ["test/e2e/**/*.test.ts"] : [],
    passWithNoTests: !hasChromium,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
