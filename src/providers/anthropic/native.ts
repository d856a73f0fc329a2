// Anthropic's own Messages API as native endpoints: a client speaking it (the Anthropic SDKs, Claude Code) is sent
// with its own body and headers (anthropic-version, anthropic-beta) and gets Anthropic's bytes back; keyway only reads
// the usage, model and stop reason, with the same translators the chat endpoint uses. The token count
// (POST /v1/messages/count_tokens) goes the same way; it is free, so nothing is read from its answer.
import type { NativeEndpoint, NativeReading, ProviderContext, StreamEvent, UpstreamRequest } from "../../plugins/sdk.ts";
import { anthropicHeaders } from "./request.ts";
import { fromMessagesResponse } from "./response.ts";
import { anthropicStream } from "./stream.ts";

/** The config's betas and the client's, each named once. */
function mergedBetas(configured: string | undefined, client: string | undefined): string | undefined {
  const names = [configured, client].flatMap((list) => (list ?? "").split(",")).map((b) => b.trim()).filter((b) => b !== "");
  return names.length > 0 ? [...new Set(names)].join(",") : undefined;
}

/** A request to one of the Messages API's paths with the client's own body, version and betas. */
function nativeRequest(path: string, body: Record<string, unknown>, ctx: ProviderContext, headers: Readonly<Record<string, string>>): UpstreamRequest {
  const out: Record<string, string> = { ...anthropicHeaders(ctx), "content-type": "application/json" };
  // The body is written for the client's API version: it goes with it.
  const version = headers["anthropic-version"];
  if (version) out["anthropic-version"] = version;
  const betas = mergedBetas(out["anthropic-beta"], headers["anthropic-beta"]);
  if (betas) out["anthropic-beta"] = betas;
  return { url: `${ctx.baseUrl}${path}`, method: "POST", headers: out, body: JSON.stringify(body) };
}

export function nativeMessagesRequest(body: Record<string, unknown>, ctx: ProviderContext, headers: Readonly<Record<string, string>>): UpstreamRequest {
  return nativeRequest("/v1/messages", body, ctx, headers);
}

export function readNativeMessage(json: unknown): NativeReading {
  const completion = fromMessagesResponse(json);
  const finish = completion.choices[0]?.finish_reason;
  return { usage: completion.usage, model: completion.model, finishReasons: finish ? [finish] : [] };
}

function isMessageStop(event: StreamEvent): boolean {
  if (event.event !== undefined) return event.event === "message_stop";
  return /"type"\s*:\s*"message_stop"/.test(event.data);
}

export const anthropicMessagesNative: NativeEndpoint = {
  toUpstream: nativeMessagesRequest,
  read: readNativeMessage,
  stream: anthropicStream,
  isLast: isMessageStop,
};

/**
 * The token count: `{input_tokens}` comes back untouched. Counting is free and uses no tokens, so nothing is read from
 * it as usage. It never streams: `stream` and `isLast` are the Messages ones, never used.
 */
export const anthropicCountTokensNative: NativeEndpoint = {
  toUpstream: (body, ctx, headers) => nativeRequest("/v1/messages/count_tokens", body, ctx, headers),
  read: () => ({}),
  stream: anthropicStream,
  isLast: isMessageStop,
};
