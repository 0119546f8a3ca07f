import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["test/e2e/**", "node_modules/**"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // On a PostgreSQL server the test files share one worker's module graph: each file still
    // gets its own database, but the app's modules load once, not 160 times (about half the
    // CPU). Embedded, each file keeps its own process: a PGlite started from a snapshot keeps
    // about 270 MB after it is closed (PGlite 0.5), which 160 files in one process cannot afford.
    isolate: !process.env.DATABASE_URL,
  },
});
