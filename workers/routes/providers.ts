import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../app-env";
import { PROVIDER_ALIASES, PROVIDERS } from "../domain/providers";
import { requireAuth } from "../middleware/auth";
import { apiDocs } from "../openapi/registry";

const ProviderCatalog = z.object({
  providers: z.array(
    z.object({
      id: z.string().meta({ description: "Cloudonix's provider id, used in <Service provider>" }),
      name: z.string(),
      kind: z.enum(["service", "sip", "stream", "number"]).meta({ description: "How Cloudonix reaches the agent: <Service provider>, <Sip>, <Connect><Stream> or <Dial><Number>" }),
      valueKind: z.enum(["e164", "sip_uri", "wss_url", "phone"]).meta({ description: "What the agent's service value is: an E.164 number, a SIP URI, a wss:// URL, or a phone number or extension" }),
      help: z.string(),
    }),
  ),
  aliases: z.record(z.string(), z.string()).meta({ description: "Accepted spellings and the id they are stored as" }),
});

apiDocs("/api/providers", "Providers").get("/", "The Cloudonix voice-agent providers and what their service value is", { response: ProviderCatalog });

export const providers = new Hono<AppEnv>().use(requireAuth).get("/", (c) => {
  c.header("Cache-Control", "private, max-age=300");
  return c.json({ providers: PROVIDERS.map((p) => ({ ...p })), aliases: { ...PROVIDER_ALIASES } });
});
