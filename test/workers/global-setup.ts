import type { Server } from "node:http";
import { startCloudonixApiMock } from "./helpers/cloudonix-api-mock";

let server: Server | null = null;

export async function setup() {
  server = await startCloudonixApiMock();
}

export async function teardown() {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
}
