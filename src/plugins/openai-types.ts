// The OpenAI wire shapes keyway speaks to clients: requests it reads and answers it returns.
// Loose where OpenAI is loose: unknown fields are kept and passed through.

export type Role = "system" | "developer" | "user" | "assistant" | "tool" | "function";

export interface TextPart {
  type: "text";
  text: string;
}
export interface ImagePart {
  type: "image_url";
  image_url: { url: string; detail?: string };
}
export type ContentPart = TextPart | ImagePart | { type: string; [k: string]: unknown };

export interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface ChatMessage {
  role: Role;
  content?: string | ContentPart[] | null;
  name?: string;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
  [k: string]: unknown;
}

export interface ToolDefinition {
  type: "function";
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean };
}

export type ToolChoice = "none" | "auto" | "required" | { type: "function"; function: { name: string } };

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string | string[];
  tools?: ToolDefinition[];
  tool_choice?: ToolChoice;
  response_format?: { type: string; json_schema?: Record<string, unknown> };
  n?: number;
  user?: string;
  [k: string]: unknown;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number; [k: string]: unknown };
  [k: string]: unknown;
}

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "function_call" | null;

export interface ChatCompletion {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: {
    index: number;
    message: { role: "assistant"; content: string | null; tool_calls?: ToolCall[]; [k: string]: unknown };
    finish_reason: FinishReason;
    logprobs?: unknown;
  }[];
  usage?: Usage;
  [k: string]: unknown;
}

export interface ToolCallDelta {
  index: number;
  id?: string;
  type?: "function";
  function?: { name?: string; arguments?: string };
}

export interface ChatCompletionChunk {
  id: string;
  object: "chat.completion.chunk";
  created: number;
  model: string;
  choices: {
    index: number;
    delta: { role?: "assistant"; content?: string | null; tool_calls?: ToolCallDelta[]; [k: string]: unknown };
    finish_reason: FinishReason;
  }[];
  usage?: Usage | null;
  [k: string]: unknown;
}

export interface CompletionRequest {
  model: string;
  prompt: string | string[];
  max_tokens?: number;
  stream?: boolean;
  [k: string]: unknown;
}

export interface EmbeddingRequest {
  model: string;
  input: string | string[] | number[] | number[][];
  encoding_format?: "float" | "base64";
  dimensions?: number;
  [k: string]: unknown;
}

/** One part of a multimodal moderation input: text, or an image by URL (a data: URL included). */
export type ModerationInputPart =
  | { type: "text"; text: string }
  | { type: "image_url"; image_url: { url: string } };

export interface ModerationRequest {
  /** Defaults to omni-moderation-latest when the client leaves it out. */
  model: string;
  input: string | string[] | ModerationInputPart[];
  [k: string]: unknown;
}

export interface ImageRequest {
  model: string;
  prompt: string;
  n?: number;
  size?: string;
  aspect_ratio?: string;
  response_format?: "url" | "b64_json";
  [k: string]: unknown;
}

/** OpenAI's /v1/audio/transcriptions request as keyway holds it: the form's fields, the upload still a file. */
export interface TranscriptionRequest {
  model: string;
  /** The uploaded audio (flac, mp3, mp4, mpeg, mpga, m4a, ogg, wav, webm), with its file name. */
  file: Blob;
  language?: string;
  prompt?: string;
  response_format?: "json" | "text" | "srt" | "verbose_json" | "vtt" | "diarized_json";
  temperature?: number;
  /** Sent as `timestamp_granularities[]` form fields. */
  timestamp_granularities?: ("word" | "segment")[];
  /** Sent as `include[]` form fields. */
  include?: string[];
  stream?: boolean;
  /** Further form fields, passed on as they came (strings; a repeated field as an array). */
  [k: string]: unknown;
}

export interface SpeechRequest {
  model: string;
  input: string;
  voice: string;
  response_format?: string;
  speed?: number;
  [k: string]: unknown;
}
