/** Schemas the API's contracts share: ids, dates, a person's URL, a cursor. */
import { z } from "zod";
import { isCalendarDate } from "../domain/dates.ts";
import { AppError } from "../platform/errors.ts";

export const Id = z.uuid({ message: "must be an id (a UUID)" });
export const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date like 2026-03-02")
  .refine(isCalendarDate, "must be a real date from 1850 to 2200")
  .meta({ format: "date" });
export const DateTime = z.iso.datetime({
  offset: true,
  message: "must be a date and time like 2026-03-02T21:30:00Z",
});

export const PersonParams = z.strictObject({ personId: Id });

/** An opaque continuation: the base64url of the last entry's sort key. */
export const Cursor = z
  .string()
  .max(400)
  .regex(/^[A-Za-z0-9_-]+$/, "must be a cursor from a previous page")
  .describe("The `next` of the previous page.");

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString()));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** What a create answers with: the new record's id. */
export const Created = z.object({ id: Id }).meta({ id: "Created" });

/** The page size a list takes: 50 unless asked, at most 200. */
export const Limit = z.coerce.number().int().min(1).max(200).default(50);

/** The sort key a cursor names, or a 400 naming the cursor when it is not one of ours. */
export function afterCursor<T>(cursor: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (cursor === undefined) return undefined;
  const after = decodeCursor(cursor, schema);
  if (after === undefined) {
    throw new AppError("validation", "The cursor is not one this endpoint gave", [
      { field: "/query/cursor", message: "must be a cursor from a previous page" },
    ]);
  }
  return after;
}
