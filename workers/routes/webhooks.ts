import { Hono, type Context } from "hono";
import { z } from "zod";
import { apiDocs } from "../openapi/registry";
import type { AppEnv } from "../app-env";
import { AppError } from "../lib/errors";
import { log, sampleWebhook, setLogContext } from "../lib/log";
import type { CallFacts, LifecycleResult } from "../../durable-objects/call-session";
import { planCampaignCall, planRoute, type RoutePlan } from "../routing/decide";
import { campaignQuery, campaignRef, connectCampaignCall, reportCampaignCall } from "../campaigns/webhook";
import { RoutingUnavailableError } from "../routing/snapshot-store";
import type { RoutingSnapshot } from "../routing/snapshot-types";
import type { DeliveryDraft } from "../queue/messages";
import { callKeyOf, parseVoiceParams, receiveWebhook, VoiceParamsSchema, WebhookError, webhookParams, type ReceivedWebhook, type VoiceParams } from "../webhooks/params";
import { cdrInput, CdrSchema, parseLifecycle, SessionUpdateSchema } from "../webhooks/lifecycle-params";
import { rejectCxml } from "../domain/cxml";
import { congestion, cxml, deliveryDraft, recordDelivery, refusal, refusalCxml, type DeliveryFacts } from "../webhooks/respond";
import { retryOnce } from "../webhooks/retry";
import { presentsCredential, rateLimited, webhookAbuseLimit, type Limited } from "../webhooks/abuse-limit";
import { carrierHeadersOf } from "../webhooks/carrier-headers";
import { readSessionData } from "../webhooks/session-data";
import { callKeyForSessionId, rememberSessionId } from "../webhooks/session-index";
import { authenticateWebhook, webhookDomain } from "../webhooks/tenant-auth";

interface Authenticated<P> {
  params: P;
  snapshot: RoutingSnapshot;
  callKey: string;
  /** The delivery record without our answer, for the CallSession to complete and send. */
  delivery?: DeliveryDraft;
}

interface WebhookSpec<P> {
  name: string;
  parse(raw: Record<string, unknown>): P;
  callKey(params: P): string;
  domain(params: P, headers: Headers): string | null;
  /** The domain's UUID, for callbacks that name no domain (a CDR's owner.domain.uuid). */
  domainUuid?(params: P): string | undefined;
  /**
   * Session updates and CDRs: Cloudonix may send them without Authorization, so they are also
   * accepted with the capability token of the tenant's callback URLs (path parameter `token`).
   */
  lifecycle?: boolean;
  /** Session updates and CDRs are not CXML exchanges: they answer (and refuse) in JSON. */
  json?: boolean;
}

/**
 * Runs one Cloudonix webhook: parse, authenticate, then `answer`; every outcome, refusals and
 * our own failures included, is recorded as a delivery, and the voice webhooks always answer
 * with CXML.
 */
async function handleWebhook<P>(c: Context<AppEnv>, spec: WebhookSpec<P>, answer: (request: Authenticated<P>) => Promise<Answered>): Promise<Response> {
  const startedAt = Date.now();
  const config = c.get("config");
  // One decision per request: its info lines are all kept or all dropped (production samples them).
  setLogContext({ sampled: sampleWebhook(config.environment, config.webhookLogSampleRate) });
  let received: ReceivedWebhook | null = null;
  let tenantId: string | null = null;
  let callId: string | null = null;
  let domain: string | null = null;
  // Refusals count per address and claimed domain; a request with no credential at all is
  // counted (and, past the limit, answered) before its body is read.
  const abuse = webhookAbuseLimit(c);
  const early = presentsCredential(c) ? null : await abuse.countUncredentialed();
  if (early) return rateLimited(c, spec, early, { webhook: spec.name, tenantId, callId, startedAt, received: { query: new URL(c.req.url).search.slice(1), body: "" } });
  try {
    received = await receiveWebhook(c.req.raw);
    const params = spec.parse(webhookParams(c.req.raw, received));
    callId = spec.callKey(params);
    domain = spec.domain(params, c.req.raw.headers);
    const credentials = { authorization: c.req.header("authorization"), callbackToken: c.req.param("token") ?? null };
    const snapshot = await authenticateWebhook(c.get("services"), domain, credentials, spec.lifecycle, spec.domainUuid?.(params));
    tenantId = snapshot.tenantId;
    setLogContext({ tenantId, callKey: callId });
    const result = await answer({ params, snapshot, callKey: callId, delivery: deliveryDraft(c, { webhook: spec.name, tenantId, callId, startedAt, received }) });
    recordDelivery(c, { webhook: spec.name, tenantId, callId, statusCode: 200, outcome: result.outcome, startedAt, received, response: result.body, groupId: result.groupId ?? null, agentId: result.agentId ?? null }, result.recorded);
    return spec.json ? c.body(result.body, 200, { "Content-Type": "application/json" }) : cxml(c, result.body);
  } catch (err) {
    const delivery = { webhook: spec.name, tenantId, callId, startedAt, received };
    return err instanceof WebhookError ? refuse(c, spec, err, delivery, tenantId ? null : abuse.countRefusal(domain)) : fail(c, spec, err, delivery);
  }
}

type Delivery = Omit<DeliveryFacts, "statusCode" | "outcome" | "error">;

/** What a webhook answered; a routing decision also names its group and agent when known here. */
interface Answered {
  body: string;
  outcome: string;
  /** The CallSession sent the delivery record with the call's events. */
  recorded?: boolean;
  groupId?: string | null;
  agentId?: string | null;
}

/**
 * The group a plan starts with (its first stage), for the decision's data point. The agent the
 * CallSession dials is not in its answer, so routing decisions carry the agent only when the
 * answer names one (an optional field a CallSession may add).
 */
const firstGroup = (plan: { stages: readonly unknown[] }): string | null => {
  const stage = plan.stages[0] as { kind?: string; groupId?: string | null } | undefined;
  return stage?.kind === "group" ? (stage.groupId ?? null) : null;
};
const answeredAgent = (answer: object): string | null => ("agentId" in answer && typeof answer.agentId === "string" ? answer.agentId : null);

/**
 * The request is not ours to answer (malformed, unauthenticated, unknown): refused, in kind;
 * 429 instead when it did not authenticate and its address or domain is past its limit.
 */
async function refuse(c: Context<AppEnv>, spec: WebhookSpec<unknown>, err: WebhookError, delivery: Delivery, counted: Promise<Limited | null> | null): Promise<Response> {
  const limited = await counted;
  if (limited) return rateLimited(c, spec, limited, delivery);
  const response = spec.json ? JSON.stringify({ error: { code: err.code, message: err.message } }) : refusalCxml(err);
  recordDelivery(c, { ...delivery, statusCode: err.status, outcome: err.code, error: err.message, response });
  if (spec.json) throw new AppError(err.status, err.code, err.message);
  return refusal(c, err);
}

/**
 * Our own failure (a Durable Object, a secret that no longer decrypts, no configuration at all).
 * Session updates and CDRs answer 503 so that Cloudonix sends them again; were it not to, the
 * call's alarm still ends the call. A call ringing now gains nothing from a redelivery, so the
 * voice webhooks answer CXML that ends it cleanly.
 */
function fail(c: Context<AppEnv>, spec: WebhookSpec<unknown>, err: unknown, delivery: Delivery): Response {
  const unavailable = err instanceof RoutingUnavailableError;
  const outcome = unavailable ? "routing_unavailable" : "internal_error";
  const message = err instanceof Error ? err.message : String(err);
  log.error("webhook.failed", { webhook: spec.name, outcome, error: err });
  const code = unavailable ? "ROUTING_UNAVAILABLE" : "INTERNAL_ERROR";
  recordDelivery(c, { ...delivery, statusCode: spec.json ? 503 : 200, outcome, error: message, response: spec.json ? null : rejectCxml("congestion") });
  if (spec.json) throw new AppError(503, code, unavailable ? message : "The update could not be applied; send it again");
  return congestion(c, code);
}

const voiceSpec = (name: string): WebhookSpec<VoiceParams> => ({
  name,
  parse: parseVoiceParams,
  callKey: callKeyOf,
  domain: (params, headers) => webhookDomain(params, headers),
});

function callFacts(c: Context<AppEnv>, { params, snapshot, callKey }: Authenticated<VoiceParams>): CallFacts {
  const sessionData = readSessionData(params.SessionData);
  return {
    tenantId: snapshot.tenantId,
    callKey,
    callSid: params.CallSid ?? null,
    session: params.Session ?? null,
    from: params.From,
    to: params.To,
    callerName: params.CallerName ?? null,
    baseUrl: new URL(c.req.url).origin,
    cxSessionId: sessionData.id,
    callStartTime: sessionData.callStartTime,
    carrierHeaders: carrierHeadersOf(params),
    diverted: params.Diverted ?? null,
    assertedIdentity: params.AssertedIdentity ?? null,
  };
}

// Call ids are unique per Cloudonix domain, not globally: the object name carries the tenant so
// one tenant's requests can never reach another tenant's call.
const callSession = (c: Context<AppEnv>, { snapshot, callKey }: { snapshot: RoutingSnapshot; callKey: string }) => c.env.CALL_SESSION.getByName(`${snapshot.tenantId}:${callKey}`);

/**
 * The call's plan. A call a campaign placed (its URL names the campaign and contact) goes where
 * the campaign says, with the contact's variables; its Dial actions carry the same parameters
 * (`facts.actionQuery`), so every later plan of the call is the campaign's too.
 */
async function planFor(c: Context<AppEnv>, { params, snapshot, callKey }: Authenticated<VoiceParams>, facts?: CallFacts): Promise<RoutePlan> {
  const routing = { from: params.From, to: params.To, cloudonixDirection: params.Direction, headers: carrierHeadersOf(params) };
  const ref = campaignRef(c.req.query());
  if (!ref) return planRoute(snapshot, routing);
  const campaign = await connectCampaignCall(c.env, snapshot.tenantId, ref, callKey);
  if (facts) facts.actionQuery = campaignQuery(ref);
  return campaign.ok ? planCampaignCall(snapshot, routing, { id: campaign.campaignId, name: campaign.name, target: campaign.target, contactId: campaign.contactId, variables: campaign.variables }) : planCampaignCall(snapshot, routing, null, campaign.reason);
}

const voiceApplication = async (c: Context<AppEnv>) =>
  handleWebhook(c, voiceSpec("voice-application"), async (request) => {
    const facts = callFacts(c, request);
    const plan = await planFor(c, request, facts);
    const answer = await retryOnce(() => callSession(c, request).route(facts, plan, request.delivery));
    if (!answer.duplicate) rememberSessionId(c.get("services"), facts.tenantId, facts.cxSessionId ?? null, facts.callKey);
    return { body: answer.cxml, outcome: answer.duplicate ? "duplicate" : `routed:${answer.state}`, groupId: firstGroup(plan), agentId: answeredAgent(answer), recorded: answer.recorded };
  });

const dialResult = async (c: Context<AppEnv>) =>
  handleWebhook(c, voiceSpec("dial-result"), async (request) => {
    const attempt = Number(c.req.query("attempt"));
    if (!Number.isInteger(attempt) || attempt < 1) {
      throw new WebhookError(400, "INVALID_PARAMETERS", "attempt: the action URL must carry ?attempt=<n>");
    }
    const status = request.params.DialCallStatus ?? request.params.CallStatus ?? "unknown";
    const plan = await planFor(c, request);
    const answer = await retryOnce(() => callSession(c, request).dialResult(attempt, status, plan, request.params.DialCallDuration, request.delivery));
    return { body: answer.cxml, outcome: answer.duplicate ? "duplicate" : `dial:${status.toLowerCase()}:${answer.state}`, groupId: firstGroup(plan), agentId: answeredAgent(answer), recorded: answer.recorded };
  });

/** A caller in a waiting room comes back (its Redirect, ?poll=n): connected, held again, or on to the fallback. */
const waitPoll = async (c: Context<AppEnv>) =>
  handleWebhook(c, voiceSpec("wait"), async (request) => {
    const poll = Number(c.req.query("poll"));
    if (!Number.isInteger(poll) || poll < 1 || poll > 100_000) {
      throw new WebhookError(400, "INVALID_PARAMETERS", "poll: the waiting room's Redirect URL must carry ?poll=<n>");
    }
    const plan = await planFor(c, request);
    const answer = await retryOnce(() => callSession(c, request).waitPoll(poll, plan, request.delivery));
    return { body: answer.cxml, outcome: answer.duplicate ? "duplicate" : `wait:${answer.state}`, groupId: firstGroup(plan), agentId: answeredAgent(answer), recorded: answer.recorded };
  });

/** How a callback names its call when it has no token: by Cloudonix's numeric session id. */
const bySessionId = (id: number) => `session-id:${id}`;

/**
 * The callback's call: by its token (or CDR call_id), else by Cloudonix's numeric session id,
 * looked up once the tenant is known. A callback for a call this tenant does not have is a 404.
 */
async function namedCall<P>(c: Context<AppEnv>, request: Authenticated<P>, token: string | undefined, sessionId: number | undefined): Promise<Authenticated<P>> {
  if (token || sessionId === undefined) return request;
  const callKey = await callKeyForSessionId(c.get("services"), request.snapshot.tenantId, sessionId);
  if (!callKey) throw new WebhookError(404, "UNKNOWN_CALL", `This tenant has no call with session id ${sessionId}`);
  return { ...request, callKey };
}

/** Lifecycle webhooks answer JSON; an update for a call this tenant does not have is a 404. */
function lifecycleAnswer(result: LifecycleResult, kind: string): Answered {
  if (!result.known) throw new WebhookError(404, "UNKNOWN_CALL", `This tenant has no call with that ${kind === "cdr" ? "session token or call_id" : "token"}`);
  return { body: JSON.stringify({ ok: true, state: result.state, applied: result.applied }), outcome: result.applied ? `${kind}:${result.state}` : `${kind}:ignored`, recorded: result.recorded };
}

const sessionUpdate = async (c: Context<AppEnv>) =>
  handleWebhook(
    c,
    {
      name: "session-update",
      parse: (raw) => parseLifecycle(SessionUpdateSchema, raw, "session update"),
      callKey: (update) => update.token ?? bySessionId(update.id!),
      domain: (update, headers) => update.domain ?? headers.get("x-cx-domain"),
      lifecycle: true,
      json: true,
    },
    async (request) => {
      const { params } = request;
      const call = await namedCall(c, request, params.token, params.id);
      const update = { status: params.status, answeredAt: params.callAnswerTime ?? params.answerTime, endedAt: params.callEndTime ?? params.endTime, eventId: params.eventId };
      // A campaign's call (its callback URL names the campaign): the campaign hears how the
      // attempt went; one that was never answered has no call of ours, and that is no error.
      const ref = campaignRef(c.req.query());
      const campaign = ref ? await retryOnce(() => reportCampaignCall(c.env, request.snapshot.tenantId, ref, params.status, params.token ?? null)) : null;
      const result = await retryOnce(() => callSession(c, call).sessionUpdate(update, call.delivery));
      if (campaign && !result.known) return { body: JSON.stringify({ ok: true, state: null, applied: campaign.applied }), outcome: campaign.applied ? `campaign:${params.status}` : "campaign:ignored" };
      return lifecycleAnswer(result, "session");
    },
  );

const cdr = async (c: Context<AppEnv>) =>
  handleWebhook(
    c,
    {
      name: "cdr",
      parse: (raw) => parseLifecycle(CdrSchema, raw, "CDR"),
      callKey: (record) => record.session?.token ?? record.call_id ?? bySessionId(record.session!.id!),
      domain: (record, headers) => record.domain ?? record.owner?.domain?.name ?? headers.get("x-cx-domain"),
      domainUuid: (record) => record.owner?.domain?.uuid,
      lifecycle: true,
      json: true,
    },
    async (request) => {
      const { params } = request;
      const call = await namedCall(c, request, params.session?.token ?? params.call_id, params.session?.id);
      const input = cdrInput(params);
      const result = await retryOnce(() => callSession(c, call).cdr(input, call.delivery));
      return lifecycleAnswer(result, "cdr");
    },
  );

const docs = apiDocs("/api/webhooks", "Cloudonix webhooks", { auth: "webhook" });
// A voice webhook we fail to answer still gets 200 with a Reject (reason congestion).
const cxmlReply = { response: z.string(), responseType: "application/xml", errors: [413] };
docs.post("/voice-application", "Route a call: Cloudonix's voice-application request (JSON body; GET with a query string also works)", { body: VoiceParamsSchema, ...cxmlReply });
docs.get("/voice-application", "Route a call (parameters in the query string)", { query: VoiceParamsSchema, ...cxmlReply });
docs.post("/voice-application/dial-result", "A Dial attempt ended: fail over or finish (the Dial action URL, ?attempt=n)", { body: VoiceParamsSchema, ...cxmlReply });
docs.get("/voice-application/dial-result", "A Dial attempt ended (parameters in the query string, with ?attempt=n)", { query: VoiceParamsSchema, ...cxmlReply });
docs.post("/voice-application/wait", "A caller in a waiting room comes back (its Redirect URL, ?poll=n): connected to an agent, held again, or sent on", { body: VoiceParamsSchema, ...cxmlReply });
docs.get("/voice-application/wait", "A caller in a waiting room comes back (parameters in the query string, with ?poll=n)", { query: VoiceParamsSchema, ...cxmlReply });
const lifecycleReply = z.object({ ok: z.literal(true), state: z.string().nullable(), applied: z.boolean() });
docs.post("/session-update", "A Cloudonix session update, with the request key (unknown calls answer 404, our failures 503)", { body: SessionUpdateSchema, response: lifecycleReply, errors: [503] });
docs.post("/cdr", "A Cloudonix CDR for a finished call, with the request key (unknown calls answer 404, our failures 503)", { body: CdrSchema, response: lifecycleReply, errors: [503] });
// The tenant's callback URLs: the token in the path is the credential (Authorization optional).
const CallbackParams = z.object({ token: z.string().meta({ description: "The tenant's callback token (GET /api/tenant shows admins the full URLs)" }) });
const capability = { params: CallbackParams, description: "The callback URL itself is the credential: no Authorization needed (a request key, if sent, must be right too). A wrong or retired token answers 401, whether or not the call exists." };
docs.post("/c/:token/session-update", "A Cloudonix session update at the tenant's callback URL", { ...capability, body: SessionUpdateSchema, response: lifecycleReply, errors: [503] });
docs.post("/c/:token/cdr", "A Cloudonix CDR at the tenant's callback URL", { ...capability, body: CdrSchema, response: lifecycleReply, errors: [503] });

export const webhooks = new Hono<AppEnv>()
  .get("/voice-application", voiceApplication)
  .post("/voice-application", voiceApplication)
  .get("/voice-application/dial-result", dialResult)
  .post("/voice-application/dial-result", dialResult)
  .get("/voice-application/wait", waitPoll)
  .post("/voice-application/wait", waitPoll)
  .post("/session-update", sessionUpdate)
  .post("/cdr", cdr)
  .post("/c/:token/session-update", sessionUpdate)
  .post("/c/:token/cdr", cdr);
