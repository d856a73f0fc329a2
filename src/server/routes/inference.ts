// The data plane routes: each picks its client dialect, authenticates, reads the body and has the dialect decode it,
// hands the call to the pipeline, and turns a refusal or failure (a GatewayError) into the dialect's error answer.
import { Elysia } from "elysia";
import type { InferenceCall } from "../../core/call.ts";
import type { ClientDialect } from "../../core/dialect.ts";
import { openAIChat, openAICompletions, openAIEmbeddings, openAIImages, openAIModerations, openAISpeech } from "../../dialects/openai-chat/dialect.ts";
import { authenticate } from "../authenticate.ts";
import { readJsonBody } from "../body.ts";
import { type AppDeps, requestIdOf } from "../context.ts";
import { asGatewayError, errorResponse } from "../error-response.ts";

const ROUTES: [string, ClientDialect][] = [
  ["/v1/chat/completions", openAIChat],
  ["/v1/completions", openAICompletions],
  ["/v1/embeddings", openAIEmbeddings],
  ["/v1/images/generations", openAIImages],
  ["/v1/audio/speech", openAISpeech],
  ["/v1/moderations", openAIModerations],
];

export function inferenceRoutes(deps: AppDeps) {
  const app = new Elysia({ name: "inference" });
  for (const [path, dialect] of ROUTES) {
    app.post(path, async ({ request, server }) => {
      const startedAt = Date.now();
      const requestId = requestIdOf(request);
      const clientIp = server?.requestIP(request)?.address;
      let call: InferenceCall;
      try {
        const principal = await authenticate(deps.authenticator, request, clientIp);
        const { endpoint, body } = dialect.decode(await readJsonBody(request, deps.config.server.max_body_bytes), request.headers);
        call = { endpoint, body, dialect, principal, requestId, headers: request.headers, signal: request.signal, startedAt, clientIp };
      } catch (error) {
        return errorResponse(asGatewayError(error, deps.logger), { "x-request-id": requestId }, dialect);
      }
      try {
        return await deps.gateway.handle(call);
      } catch (error) {
        // The pipeline has recorded the failure and taken the call's own key out of the error's text.
        const failure = asGatewayError(error, deps.logger);
        return errorResponse(failure, { "x-request-id": requestId, "x-keyway-attempts": String(failure.attempts?.length ?? 0) }, dialect);
      }
    });
  }
  return app;
}
