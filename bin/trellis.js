#!/usr/bin/env node
// The one entry point: runs the TypeScript CLI through tsx so that a fresh clone needs no build step.
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
