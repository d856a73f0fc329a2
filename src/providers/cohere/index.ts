// Cohere (api.cohere.com) through its native API v2: chat (/v2/chat, SSE when streamed) and embeddings
// (/v2/embed), translated both ways. Cohere keys have no recognisable prefix, so there is no keyPattern.
import { defineProvider } from "../../plugins/sdk.ts";
import { cohereHeaders, toCohereChatRequest } from "./chat-request.ts";
import { fromCohereChat } from "./chat-response.ts";
import { cohereEmbeddings } from "./embed.ts";
import { mapCohereError } from "./errors.ts";
import { cohereKnowledge } from "./knowledge.ts";
import { cohereStream } from "./stream.ts";

export default defineProvider({
  ...cohereKnowledge,
  name: "cohere",
  otelName: "cohere",
  modelPrefixes: ["command-", "embed-", "c4ai-"],
  defaultBaseUrl: "https://api.cohere.com",
  endpoints: {
    chat: {
      toUpstream: toCohereChatRequest,
      fromUpstream: (json, ctx) => fromCohereChat(json, ctx),
      stream: cohereStream,
    },
    embeddings: cohereEmbeddings,
  },
  mapError: mapCohereError,
  // GET /v1/models is authenticated and costs nothing; one entry is enough to prove the key.
  checkKey: (ctx) => ({ url: `${ctx.baseUrl}/v1/models?page_size=1`, method: "GET", headers: cohereHeaders(ctx) }),
});
