// The data plane routes: each authenticates, reads and checks its body, hands it to the pipeline, and turns a
// refusal or failure (a GatewayError) into the OpenAI error answer.
import type { TSchema } from "@sinclair/typebox";
import { Elysia } from "elysia";
import type { InferenceCall } from "../../core/call.ts";
import type { EndpointName } from "../../plugins/sdk.ts";
import { authenticate } from "../authenticate.ts";
import { bodyValidator, readJsonBody } from "../body.ts";
import { type AppDeps, requestIdOf } from "../context.ts";
import { asGatewayError, errorResponse } from "../error-response.ts";
import { ChatBody, CompletionBody, EmbeddingBody, ImageBody, SpeechBody } from "../schemas.ts";

const ROUTES: [string, EndpointName, TSchema][] = [
  ["/v1/chat/completions", "chat", ChatBody],
  ["/v1/completions", "completions", CompletionBody],
  ["/v1/embeddings", "embeddings", EmbeddingBody],
  ["/v1/images/generations", "images", ImageBody],
  ["/v1/audio/speech", "speech", SpeechBody],
];

export function inferenceRoutes(deps: AppDeps) {
  const app = new Elysia({ name: "inference" });
  for (const [path, endpoint, schema] of ROUTES) {
    const validate = bodyValidator(schema);
    app.post(path, async ({ request, server }) => {
      const startedAt = Date.now();
      const requestId = requestIdOf(request);
      const clientIp = server?.requestIP(request)?.address;
      let call: InferenceCall;
      try {
        const principal = await authenticate(deps.authenticator, request, clientIp);
        const body = validate(await readJsonBody(request, deps.config.server.max_body_bytes)) as Record<string, unknown>;
        call = { endpoint, body, principal, requestId, headers: request.headers, signal: request.signal, startedAt, clientIp };
      } catch (error) {
        return errorResponse(asGatewayError(error, deps.logger), { "x-request-id": requestId });
      }
      try {
        return await deps.gateway.handle(call);
      } catch (error) {
        // The pipeline has recorded the failure and taken the call's own key out of the error's text.
        const failure = asGatewayError(error, deps.logger);
        return errorResponse(failure, { "x-request-id": requestId, "x-keyway-attempts": String(failure.attempts?.length ?? 0) });
      }
    });
  }
  return app;
}
