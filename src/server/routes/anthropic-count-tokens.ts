// POST /v1/messages/count_tokens (Anthropic's token count, which Claude Code and the Anthropic SDKs call): the caller
// authenticated and the prompt checked as for /v1/messages, then answered with keyway's own estimate of its input
// tokens for every provider. Nothing is sent upstream, charged or recorded.
import { Elysia } from "elysia";
import { anthropicCountTokens } from "../../dialects/anthropic-messages/dialect.ts";
import { estimateTokens } from "../../limits/estimate.ts";
import { authenticate } from "../authenticate.ts";
import { readJsonBody } from "../body.ts";
import { type AppDeps, requestIdOf } from "../context.ts";
import { asGatewayError, errorResponse } from "../error-response.ts";

/** The prompt's tokens as keyway estimates them: its messages (the system prompt among them) and its tools. */
export function promptTokenEstimate(body: Record<string, unknown>): number {
  const tools = Array.isArray(body.tools) && body.tools.length > 0 ? estimateTokens({ input: body.tools }) : 0;
  return estimateTokens({ messages: body.messages }) + tools;
}

export function countTokensRoutes(deps: AppDeps) {
  return new Elysia({ name: "anthropic-count-tokens" }).post("/v1/messages/count_tokens", async ({ request, server }) => {
    const headers = { "x-request-id": requestIdOf(request) };
    try {
      await authenticate(deps.authenticator, request, server?.requestIP(request)?.address);
      const { body } = anthropicCountTokens.decode(await readJsonBody(request, deps.config.server.max_body_bytes), request.headers);
      return Response.json({ input_tokens: promptTokenEstimate(body) }, { headers });
    } catch (error) {
      return errorResponse(asGatewayError(error, deps.logger), headers, anthropicCountTokens);
    }
  });
}
