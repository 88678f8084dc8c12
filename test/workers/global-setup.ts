import type { Server } from "node:http";
import { startCloudonixApiMock } from "./helpers/cloudonix-api-mock";
import { startEventReceiver } from "./helpers/event-receiver";

let server: Server | null = null;
let receiver: Server | null = null;

export async function setup() {
  server = await startCloudonixApiMock();
  receiver = await startEventReceiver();
}

export async function teardown() {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
}
