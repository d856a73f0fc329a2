// keyway's internal (OpenAI-shaped) answers in IndoxRouter's shape: `success`, the text (or vectors, or images) as
// `data`, the answering provider and model, whether the caller's key paid, and usage with the charge in USD.
import type { AnswerMeta } from "../../core/dialect.ts";
import type { EndpointName, Usage } from "../../plugins/sdk.ts";
import { microsToUsd } from "../../usage/money.ts";

type Body = Record<string, unknown>;

/** IndoxRouter's usage object: its token names, the charge in USD, and the cache and reasoning counts keyway read. */
export function indoxUsage(usage: Usage | undefined, chargedMicros: number): Body {
  const prompt = usage?.prompt_tokens ?? 0;
  const completion = usage?.completion_tokens ?? 0;
  const details = usage?.completion_tokens_details as { reasoning_tokens?: number } | undefined;
  return {
    tokens_prompt: prompt,
    tokens_completion: completion,
    tokens_total: usage?.total_tokens ?? prompt + completion,
    cost: microsToUsd(chargedMicros),
    cache_read_tokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
    reasoning_tokens: details?.reasoning_tokens ?? 0,
  };
}

/** A message's content as text: a string as it is, text parts joined, nothing as "". */
function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((part: { text?: unknown }) => (typeof part?.text === "string" ? part.text : "")).join("");
  return "";
}

interface Choice {
  message?: { content?: unknown; tool_calls?: unknown };
  text?: unknown;
  finish_reason?: string | null;
}

/** The first choice's text and finish reason, and its tool calls when it made some. */
function firstChoice(result: Body): Body {
  const choice = ((result.choices as Choice[] | undefined) ?? [])[0];
  const text = choice?.message ? textOf(choice.message.content) : textOf(choice?.text);
  const out: Body = { data: text, finish_reason: choice?.finish_reason ?? null };
  if (Array.isArray(choice?.message?.tool_calls)) out.tool_calls = choice.message.tool_calls;
  return out;
}

/** Embedding vectors in input order. */
function vectors(result: Body): Body {
  const items = ((result.data as { index?: number; embedding?: unknown }[] | undefined) ?? []).slice();
  items.sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  const data = items.map((item) => item.embedding);
  const first = data[0];
  return { data, dimensions: Array.isArray(first) ? first.length : null };
}

/** Each image as the client reads it: `url` or `b64_json`, with the revised prompt when the provider gave one. */
function images(result: Body): Body {
  const items = (result.data as Body[] | undefined) ?? [];
  return { data: items.map(({ url, b64_json, revised_prompt }) => ({ ...(url ? { url } : {}), ...(b64_json ? { b64_json } : {}), ...(revised_prompt ? { revised_prompt } : {}) })) };
}

const CONTENT: Partial<Record<EndpointName, (result: Body) => Body>> = {
  chat: firstChoice,
  completions: firstChoice,
  embeddings: vectors,
  images,
};

/** The answer's encoder for one endpoint. */
export function indoxAnswer(endpoint: EndpointName): (result: Body, meta: AnswerMeta) => Body {
  const content = CONTENT[endpoint] ?? ((result: Body) => ({ data: result }));
  return (result, meta) => ({
    success: true,
    message: "",
    provider: meta.provider ?? null,
    model: meta.model ?? (typeof result.model === "string" ? result.model : null),
    ...content(result),
    byok_api_key: meta.byok,
    usage: indoxUsage(result.usage as Usage | undefined, meta.chargedMicros),
  });
}
