/**
 * A problem that stops the service or a command from starting, told in one plain line: what is
 * wrong and what to do. src/main.ts prints the message (no stack trace) and exits non-zero.
 */
export class StartupError extends Error {
  override name = "StartupError";
}

const connectionProblems: Record<string, string> = {
  ECONNREFUSED: "nothing is listening there",
  ENOTFOUND: "that host name is not known",
  EAI_AGAIN: "that host name could not be looked up",
  ETIMEDOUT: "the connection timed out",
  EHOSTUNREACH: "that host cannot be reached",
  "28P01": "the password was refused",
  "28000": "the server refused this user",
  "3D000": "that database does not exist",
};

/** Turns a failure to reach the PostgreSQL server into a StartupError, or undefined if not one. */
export function explainServerFailure(
  error: unknown,
  databaseUrl: string,
): StartupError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  const problem = typeof code === "string" ? connectionProblems[code] : undefined;
  if (!problem) return undefined;
  return new StartupError(
    `Could not connect to the PostgreSQL server in DATABASE_URL (${redacted(databaseUrl)}): ${problem}. ` +
      "Check the server is running and the URL, user and password are right, or unset DATABASE_URL to use the embedded database.",
  );
}

/** The URL without its password, for messages. */
export function redacted(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = "***";
    return url.href;
  } catch {
    return "not a URL";
  }
}
