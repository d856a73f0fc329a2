// The data plane routes: each picks its client dialect, authenticates, reads the body and has the dialect decode it,
// hands the call to the pipeline, and turns a refusal or failure (a GatewayError) into the dialect's error answer.
import type { InferenceCall } from "../../core/call.ts";
import type { ClientDialect } from "../../core/dialect.ts";
import { anthropicCountTokens, anthropicMessages } from "../../dialects/anthropic-messages/dialect.ts";
import { openAIChat, openAICompletions, openAIEmbeddings, openAIImages, openAIModerations, openAISpeech } from "../../dialects/openai-chat/dialect.ts";
import { openAITranscriptions } from "../../dialects/openai-chat/transcriptions.ts";
import { openAIResponses } from "../../dialects/openai-responses/dialect.ts";
import { authenticate } from "../authenticate.ts";
import { readJsonBody } from "../body.ts";
import { readMultipartBody } from "../multipart-body.ts";
import { type AppDeps, requestIdOf } from "../context.ts";
import { asGatewayError, errorResponse } from "../error-response.ts";
import { hostRequired, type NativeRoutes, PeerAddress, type PeerServer } from "../native-route.ts";

const ROUTES: [string, ClientDialect][] = [
  ["/v1/chat/completions", openAIChat],
  ["/v1/completions", openAICompletions],
  ["/v1/embeddings", openAIEmbeddings],
  ["/v1/images/generations", openAIImages],
  ["/v1/audio/speech", openAISpeech],
  ["/v1/moderations", openAIModerations],
  ["/v1/messages", anthropicMessages],
  ["/v1/messages/count_tokens", anthropicCountTokens],
  ["/v1/audio/transcriptions", openAITranscriptions],
  ["/v1/responses", openAIResponses],
];

/**
 * One data-plane request: its SERVER span, authentication, the body read and decoded by the dialect, the pipeline,
 * and any refusal or failure as the dialect's error, whatever is thrown (the route's own errors included).
 * `answered` may reshape a successful answer (IndoxRouter's speech as JSON).
 */
export function inferenceHandler(deps: AppDeps, route: string, dialect: ClientDialect, answered?: (response: Response, call: InferenceCall) => Promise<Response>) {
  return async (request: Request, server: PeerServer | null): Promise<Response> => {
    const startedAt = Date.now();
    let requestId: string | undefined;
    try {
      requestId = requestIdOf(request);
      const peer = new PeerAddress(request, server);
      // Every request gets its SERVER span (the client's traceparent its parent), refusals included.
      const span = deps.gateway.serverSpan(request, route, requestId, peer);
      let call: InferenceCall;
      let accountId: string | undefined;
      try {
        const authenticated = authenticate(deps.authenticator, request, peer);
        const principal = authenticated instanceof Promise ? await authenticated : authenticated;
        accountId = principal.accountId;
        const limits = deps.config.server;
        const raw = dialect.bodyFormat === "multipart" ? await readMultipartBody(request, limits.max_upload_bytes) : await readJsonBody(request, limits.max_body_bytes);
        const { endpoint, body, native, unmetered } = dialect.decode(raw, request.headers);
        call = { endpoint, body, native, unmetered, dialect, principal, requestId, headers: request.headers, signal: request.signal, startedAt, peer };
      } catch (error) {
        const refusal = asGatewayError(error, deps.logger);
        deps.gateway.refused({ server: span, endpoint: dialect.endpoint, requestId, startedAt, error: refusal, accountId });
        return errorResponse(refusal, { "x-request-id": requestId }, dialect);
      }
      try {
        const response = await deps.gateway.handle(call, span);
        return answered && response.ok ? await answered(response, call) : response;
      } catch (error) {
        // The pipeline has recorded the failure and taken the call's own key out of the error's text.
        const failure = asGatewayError(error, deps.logger);
        return errorResponse(failure, { "x-request-id": requestId, "x-keyway-attempts": String(failure.attempts?.length ?? 0) }, dialect);
      }
    } catch (unexpected) {
      return errorResponse(asGatewayError(unexpected, deps.logger), { "x-request-id": requestId ?? requestIdOf(request) }, dialect);
    }
  };
}

/** A data-plane route for `dataPlaneServeRoutes`: its path, dialect, and what may reshape a successful answer. */
export interface DataPlaneRoute {
  path: string;
  dialect: ClientDialect;
  answered?: (response: Response, call: InferenceCall) => Promise<Response>;
}

/**
 * Data-plane routes for Bun's router (native-routes.ts): each call skips the framework's per-request context and hooks
 * (about 2 µs of CPU a call). They answer an error escaping the handler in the dialect's shape themselves and, with
 * `apiHost`, refuse a request without a Host header as the control plane does on /v1/; another method on these paths
 * falls through to the control plane, which answers 405 with Allow (the same routes are registered there, for
 * `runtime.handle`).
 */
export function dataPlaneServeRoutes(deps: AppDeps, routes: readonly DataPlaneRoute[], apiHost: boolean): NativeRoutes {
  const served: NativeRoutes = {};
  for (const { path, dialect, answered } of routes) {
    const post = inferenceHandler(deps, path, dialect, answered);
    served[path] = { POST: apiHost ? hostRequired(post) : post };
  }
  return served;
}

/** The OpenAI and Anthropic data-plane routes (see dataPlaneServeRoutes). */
export function inferenceServeRoutes(deps: AppDeps): NativeRoutes {
  return dataPlaneServeRoutes(deps, ROUTES.map(([path, dialect]) => ({ path, dialect })), true);
}
