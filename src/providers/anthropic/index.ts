// Anthropic (api.anthropic.com): chat only, through the Messages API, translated both ways; natively, the Messages API
// and its token count.
// Completions, embeddings, images and speech are not offered by this API, so those endpoints are absent.
import { defineProvider } from "../../plugins/sdk.ts";
import { mapAnthropicError } from "./errors.ts";
import { jsonAnswerTool } from "./json-output.ts";
import { anthropicKnowledge } from "./knowledge.ts";
import { anthropicCountTokensNative, anthropicMessagesNative } from "./native.ts";
import { anthropicHeaders, toMessagesRequest } from "./request.ts";
import { fromMessagesResponse } from "./response.ts";
import { anthropicStream } from "./stream.ts";

export { ANTHROPIC_DEFAULT_MAX_TOKENS } from "./request.ts";

export default defineProvider({
  ...anthropicKnowledge,
  name: "anthropic",
  otelName: "anthropic",
  keyPattern: /^sk-ant-/,
  modelPrefixes: ["claude-"],
  defaultBaseUrl: "https://api.anthropic.com",
  endpoints: {
    chat: {
      toUpstream: toMessagesRequest,
      fromUpstream: (json, ctx, request) => fromMessagesResponse(json, jsonAnswerTool(request, ctx)),
      stream: anthropicStream,
    },
    native: { "anthropic-messages": anthropicMessagesNative, "anthropic-count-tokens": anthropicCountTokensNative },
  },
  mapError: mapAnthropicError,
  // GET /v1/models is authenticated and costs no tokens.
  checkKey: (ctx) => ({ url: `${ctx.baseUrl}/v1/models`, method: "GET", headers: anthropicHeaders(ctx) }),
});
