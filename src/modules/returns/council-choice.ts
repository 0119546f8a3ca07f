import type { Db } from "../../platform/database.ts";

/**
 * The council a command line return is for: the only one in the database, or the one `--la`
 * names. Undefined, after saying why on stderr, when that does not pick exactly one.
 */
export async function chooseCouncil(
  db: Db,
  code: string | undefined,
): Promise<{ id: string; code: string } | undefined> {
  const councils = await db
    .selectFrom("local_authority")
    .select(["id", "code"])
    .$if(code !== undefined, (q) => q.where("code", "=", code ?? ""))
    .execute();
  const council = councils[0];
  if (!council || councils.length > 1) {
    console.error(
      council
        ? `trellis: this database holds several councils (${councils.map((c) => c.code).join(", ")}): choose one with --la CODE`
        : `trellis: no council${code ? ` with code ${code}` : ""} in this database`,
    );
    return undefined;
  }
  return council;
}
