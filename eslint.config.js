import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "data/",
      "web/vendor/",
      "coverage/",
      "scratch/",
      "test-results/",
      "eslint.config.js",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    // Product code never reaches into the tests: test helpers live under test/support/ (or, for
    // a few older ones, in src/ files named as test helpers, listed here as debt to move).
    files: ["src/**/*.ts"],
    ignores: [
      "src/**/*.test.ts",
      "src/**/*test-support.ts",
      "src/**/test-fixtures.ts",
      "src/**/*-fixture.ts",
      "src/**/rules-harness.ts",
      "src/**/test-plans.ts",
    ],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex:
                "(^|/)test/|test-support|test-fixtures|-fixture\\.ts$|rules-harness|test-plans",
              message:
                "Product code must not import test helpers (they belong under test/support/).",
            },
          ],
        },
      ],
    },
  },
  {
    // Plain browser and launcher scripts: linted, without type information.
    files: ["**/*.js", "**/*.mjs"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
);
