import type { Env as WorkerEnv } from "../workers/env";

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {
      TEST_DATABASE_URL: string;
      /** The local event-webhook receiver (test/workers/helpers/event-receiver.ts). */
      EVENT_RECEIVER_URL: string;
    }
  }
}
