import { existsSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { CHROMIUM } from "./browser";
import { createE2eTenant, startStack, type E2eTenant, type Stack } from "./stack";

declare module "vitest" {
  export interface ProvidedContext {
    webUrl: string;
    apiUrl: string;
    tenant: E2eTenant;
  }
}

let stack: Stack | undefined;

export async function setup(project: TestProject) {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/browser.sh (npm test does) to install Debian's chromium`);
  stack = await startStack();
  project.provide("webUrl", stack.webUrl);
  project.provide("apiUrl", stack.apiUrl);
  project.provide("tenant", await createE2eTenant());
}

export async function teardown() {
  await stack?.stop();
}
