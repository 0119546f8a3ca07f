import { parseArgs } from "node:util";

/**
 * The arguments every `trellis returns validate` command takes: one path, `--year`, and
 * `--json` (the 903's also `--previous DIR`). Undefined (after printing the usage) when they cannot be read: exit code 2.
 */
export function readValidateArgs<Year extends string>(
  args: string[],
  usage: string,
  isYear: (year: string | undefined) => year is Year,
): { path: string; year: Year; json: boolean; previous?: string } | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        year: { type: "string" },
        json: { type: "boolean", default: false },
        // The 903's last year's files, for the rules that compare with them (decision 0037).
        previous: { type: "string" },
      },
    });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return undefined;
  }
  const { values, positionals } = parsed;
  const path = positionals[0];
  if (positionals.length !== 1 || path === undefined || !isYear(values.year)) {
    console.error(usage);
    return undefined;
  }
  return {
    path,
    year: values.year,
    json: values.json,
    ...(values.previous !== undefined ? { previous: values.previous } : {}),
  };
}

/**
 * The arguments of a `trellis returns <cin|903>` command that generates a return: `--year`,
 * `--out` and `--la CODE`. Undefined (after printing the usage) when they cannot be read.
 */
export function readGenerateArgs<Year extends string>(
  args: string[],
  usage: string,
  isYear: (year: string | undefined) => year is Year,
): { year: Year; out: string; la: string | undefined } | undefined {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: { year: { type: "string" }, out: { type: "string" }, la: { type: "string" } },
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return undefined;
  }
  const { year, out, la } = values;
  if (!isYear(year) || !out) {
    console.error(usage);
    return undefined;
  }
  return { year, out, la };
}
