import type { TestProject } from "vitest/node";
import { openServer } from "../src/platform/database.ts";
import { migrate } from "../src/platform/migrate.ts";

/**
 * With DATABASE_URL set, builds one migrated template database; each test file then clones
 * it (CREATE DATABASE ... TEMPLATE), which is far faster than migrating per file.
 */
export default async function setup(
  project: TestProject,
): Promise<(() => Promise<void>) | undefined> {
  const url = process.env.DATABASE_URL;
  if (!url) return undefined;
  const template = `trellis_template_${String(process.pid)}`;
  const admin = openServer(url, 1);
  await admin.exec(`drop database if exists ${template}`);
  await admin.exec(`create database ${template}`);
  const templateDb = openServer(withDatabase(url, template), 2);
  await migrate(templateDb);
  await templateDb.close();
  project.provide("templateDatabase", template);
  return async () => {
    await admin.exec(`drop database if exists ${template} with (force)`);
    await admin.close();
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}
