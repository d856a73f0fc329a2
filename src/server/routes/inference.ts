// The data plane routes: each authenticates, reads and checks its body, and hands it to the pipeline.
import type { TSchema } from "@sinclair/typebox";
import { Elysia } from "elysia";
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
      try {
        const clientIp = server?.requestIP(request)?.address;
        const principal = await authenticate(deps.authenticator, request, clientIp);
        const body = validate(await readJsonBody(request, deps.config.server.max_body_bytes)) as Record<string, unknown>;
        return await deps.gateway.handle({ endpoint, body, principal, requestId, headers: request.headers, signal: request.signal, startedAt, clientIp });
      } catch (error) {
        return errorResponse(asGatewayError(error, deps.logger), { "x-request-id": requestId });
      }
    });
  }
  return app;
}
