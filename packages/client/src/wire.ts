// The JSON keyway sends back, as far as the client reads it: OpenAI's shapes plus keyway's additions
// (`usage.cost` in USD, `byok_api_key`). Written out here because the client imports nothing of the server.

export interface WireUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  /** USD charged by keyway: 0 when the caller's own key paid. */
  cost?: number;
  completion_tokens_details?: { reasoning_tokens?: number };
  prompt_tokens_details?: { cached_tokens?: number };
}

export interface WireToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface WireAssistantMessage {
  role: "assistant";
  content: string | null;
  refusal?: string | null;
  tool_calls?: WireToolCall[];
}

export interface WireChatCompletion {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: { index: number; message: WireAssistantMessage; finish_reason: string | null }[];
  usage?: WireUsage;
  byok_api_key?: boolean;
}

export interface WireToolCallDelta {
  index: number;
  id?: string;
  type?: "function";
  function?: { name?: string; arguments?: string };
}

export interface WireChatChunk {
  id: string;
  object: "chat.completion.chunk";
  created: number;
  model: string;
  choices: { index: number; delta: { role?: string; content?: string | null; tool_calls?: WireToolCallDelta[] }; finish_reason: string | null }[];
  usage?: WireUsage | null;
}

export interface WireCompletion {
  id: string;
  object: "text_completion";
  created: number;
  model: string;
  choices: { index: number; text: string; finish_reason: string | null }[];
  usage?: WireUsage;
  byok_api_key?: boolean;
}

export interface WireEmbeddings {
  object: "list";
  data: { object: "embedding"; index: number; embedding: number[] }[];
  model: string;
  usage?: WireUsage;
  byok_api_key?: boolean;
}

export interface WireImages {
  created: number;
  data: { url?: string; b64_json?: string; revised_prompt?: string }[];
  usage?: WireUsage;
  byok_api_key?: boolean;
}

export interface WireModel {
  id: string;
  object: "model";
  created: number;
  owned_by: string;
}

export interface WireAttempt {
  provider: string;
  model: string;
  key_source: string;
  status: number | null;
  reason: string;
}

/** keyway's error answer: always this shape, for every endpoint. */
export interface WireError {
  error: {
    message: string;
    type?: string;
    param?: string | null;
    code?: string | null;
    attempts?: WireAttempt[];
    [field: string]: unknown;
  };
}
