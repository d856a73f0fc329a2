// A client that speaks IndoxRouter's wire protocol exactly as its Python client (`indoxhub`) does: the token
// exchange at construction (X-API-Key, then the two form posts it falls back to), Bearer on every call, one
// re-authentication and retry after a 401, the request bodies it builds, its stream loop (indexing choices[0]) and
// the exception it raises for each status (its message from the body's `detail`).

export class IndoxError extends Error {
  constructor(
    /** The Python client's exception class name. */
    readonly kind: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = kind;
  }
}

type Json = Record<string, unknown>;

export interface ChatOptions {
  temperature?: number;
  max_tokens?: number | null;
  byok_api_key?: string | null;
  /** Anything else goes into `additional_params`, as the Python client's **kwargs do. */
  [kwarg: string]: unknown;
}

const GOOGLE_SIZES: Record<string, string> = {
  "1024x1024": "1:1",
  "512x512": "1:1",
  "256x256": "1:1",
  "1024x768": "4:3",
  "768x1024": "3:4",
  "1024x1536": "2:3",
  "1536x1024": "3:2",
  "1792x1024": "16:9",
  "1024x1792": "9:16",
};

/** The parameters the Python client keeps for some image models (everything else, byok_api_key included, is removed). */
function supportedImageParams(provider: string, model: string): string[] {
  if (provider === "openai" && model.includes("gpt-image")) {
    return ["prompt", "size", "quality", "n", "user", "background", "moderation", "output_compression", "output_format", "style"];
  }
  if (provider === "google" && model.includes("imagen")) {
    return ["prompt", "n", "negative_prompt", "aspect_ratio", "guidance_scale", "seed", "safety_filter_level", "person_generation", "include_safety_attributes", "include_rai_reason", "language", "output_mime_type", "output_compression_quality", "add_watermark", "enhance_prompt", "response_format"];
  }
  if (provider === "xai" && model.includes("grok-2-image")) return ["prompt", "n", "response_format"];
  return [];
}

export class IndoxClient {
  accessToken?: string;
  /** Token exchanges made (construction included): each POST to /auth/api-key. */
  authentications = 0;
  /** Every request sent, in order: method and path. */
  readonly sent: { method: string; path: string; body?: unknown }[] = [];

  private constructor(
    private readonly apiKey: string,
    private readonly baseUrl: string,
  ) {}

  /** `Client(api_key=..., base_url=...)`: authenticates at construction. */
  static async connect(apiKey: string, baseUrl: string): Promise<IndoxClient> {
    const client = new IndoxClient(apiKey, baseUrl.replace(/\/+$/, ""));
    await client.authenticate();
    return client;
  }

  private async send(method: string, path: string, init: RequestInit & { body?: string | URLSearchParams }): Promise<Response> {
    this.sent.push({ method, path, body: typeof init.body === "string" ? JSON.parse(init.body) : init.body?.toString() });
    return fetch(`${this.baseUrl}/${path}`, { ...init, method });
  }

  async authenticate(): Promise<void> {
    this.authentications++;
    let response = await this.send("POST", "api/v1/auth/api-key", { headers: { "X-API-Key": this.apiKey } });
    if (response.status !== 200) {
      response = await this.send("POST", "api/v1/auth/token", { body: new URLSearchParams({ username: this.apiKey, password: this.apiKey }) });
      if (response.status !== 200) {
        response = await this.send("POST", "api/v1/auth/token", { body: new URLSearchParams({ username: "pip_client", password: this.apiKey }) });
      }
    }
    if (response.status !== 200) {
      const text = await response.text();
      let detail: unknown = "Unknown error";
      try {
        detail = (JSON.parse(text) as Json).detail ?? "Unknown error";
      } catch {
        detail = text;
      }
      throw new IndoxError("AuthenticationError", `Authentication failed: ${String(detail)}`, response.status);
    }
    try {
      const body = (await response.json()) as Json;
      if ("access_token" in body) this.accessToken = body.access_token as string;
    } catch {
      // no token in the body: the Python client then relies on cookies
    }
  }

  /** `_request`: JSON with the bearer token; after a 401, authenticate again and retry once; errors by status. */
  async request(method: string, endpoint: string, data?: Json): Promise<Response> {
    const path = endpoint.startsWith("api/v1/") ? endpoint : `api/v1/${endpoint}`;
    const headers = (): Record<string, string> => ({ "Content-Type": "application/json", ...(this.accessToken ? { Authorization: `Bearer ${this.accessToken}` } : {}) });
    const body = data === undefined ? undefined : JSON.stringify(data);
    let response = await this.send(method, path, { headers: headers(), body });
    if (response.status === 401) {
      await this.authenticate();
      response = await this.send(method, path, { headers: headers(), body });
    }
    // Streams too: a failed status raises before any chunk is read.
    if (response.status >= 400) throw await this.errorOf(response, `${this.baseUrl}/${path}`);
    return response;
  }

  private async errorOf(response: Response, url: string): Promise<IndoxError> {
    const status = response.status;
    let message: string;
    try {
      const body = (await response.json()) as Json;
      message = typeof body.detail === "string" ? body.detail : `${status} Client Error for url: ${url}`;
    } catch {
      message = `${status} Error for url: ${url}`;
    }
    const lower = message.toLowerCase();
    if (status === 401) return new IndoxError("AuthenticationError", `Authentication failed: ${message}`, status);
    if (status === 404) {
      if (lower.includes("provider")) return new IndoxError("ProviderNotFoundError", message, status);
      if (lower.includes("model")) {
        const unavailable = ["not supported", "disabled", "unavailable"].some((word) => lower.includes(word));
        return new IndoxError(unavailable ? "ModelNotAvailableError" : "ModelNotFoundError", message, status);
      }
      return new IndoxError("APIError", `Resource not found: ${message} (URL: ${url})`, status);
    }
    if (status === 429) return new IndoxError("RateLimitError", `Rate limit exceeded: ${message}`, status);
    if (status === 400) {
      if (lower.includes("validation") || lower.includes("invalid format")) return new IndoxError("ValidationError", `Request validation failed: ${message}`, status);
      return new IndoxError("InvalidParametersError", `Invalid parameters: ${message}`, status);
    }
    if (status === 402) return new IndoxError("InsufficientCreditsError", `Insufficient credits: ${message}`, status);
    if (status === 422) return new IndoxError("ValidationError", `Request validation failed: ${message}`, status);
    if (status === 503) return new IndoxError(lower.includes("model") ? "ModelNotAvailableError" : "APIError", message, status);
    if (status === 500) return new IndoxError("RequestError", `Server error (500): ${message}`, status);
    if (status < 500) return new IndoxError("APIError", `Client error (${status}): ${message}`, status);
    return new IndoxError("RequestError", `Server error (${status}): ${message}`, status);
  }

  private async json(method: string, endpoint: string, data?: Json): Promise<Json> {
    return (await (await this.request(method, endpoint, data)).json()) as Json;
  }

  private static split(options: ChatOptions, named: string[]): { picked: Json; kwargs: Json } {
    const picked: Json = {};
    const kwargs: Json = {};
    for (const [key, value] of Object.entries(options)) {
      if (named.includes(key)) picked[key] = value;
      else if (key !== "return_generator") kwargs[key] = value;
    }
    return { picked, kwargs };
  }

  private textBody(first: Json, options: ChatOptions): { data: Json; stream: boolean } {
    const { picked, kwargs } = IndoxClient.split(options, ["temperature", "max_tokens", "stream", "byok_api_key"]);
    const stream = picked.stream === true;
    return {
      stream,
      data: { ...first, temperature: picked.temperature ?? 0.7, max_tokens: picked.max_tokens ?? null, stream, byok_api_key: picked.byok_api_key ?? null, additional_params: kwargs },
    };
  }

  chat(messages: Json[], model: string, options: ChatOptions = {}): Promise<Json> {
    const { data } = this.textBody({ messages, model }, { ...options, stream: false });
    return this.json("POST", "chat/completions", data);
  }

  async *chatStream(messages: Json[], model: string, options: ChatOptions = {}): AsyncGenerator<Json> {
    const { data } = this.textBody({ messages, model }, { ...options, stream: true });
    yield* this.streamChunks(await this.request("POST", "chat/completions", data));
  }

  completion(prompt: string, model: string, options: ChatOptions = {}): Promise<Json> {
    const { data } = this.textBody({ prompt, model }, { ...options, stream: false });
    return this.json("POST", "completions", data);
  }

  async *completionStream(prompt: string, model: string, options: ChatOptions = {}): AsyncGenerator<Json> {
    const { data } = this.textBody({ prompt, model }, { ...options, stream: true });
    yield* this.streamChunks(await this.request("POST", "completions", data));
  }

  embeddings(text: string | string[], model: string, options: { byok_api_key?: string | null; [kwarg: string]: unknown } = {}): Promise<Json> {
    const { picked, kwargs } = IndoxClient.split(options, ["byok_api_key"]);
    return this.json("POST", "embeddings", { text: Array.isArray(text) ? text : [text], model, byok_api_key: picked.byok_api_key ?? null, additional_params: kwargs });
  }

  /** `images(prompt, model, size=..., aspect_ratio=..., byok_api_key=..., ...)`, with the Python client's provider rules. */
  images(prompt: string, model: string, options: { size?: string; aspect_ratio?: string; n?: number; quality?: string; style?: string; response_format?: string; byok_api_key?: string; [kwarg: string]: unknown } = {}): Promise<Json> {
    const known = ["size", "aspect_ratio", "n", "quality", "style", "response_format", "byok_api_key"];
    const { picked, kwargs } = IndoxClient.split(options, known);
    const [provider, name] = model.includes("/") ? [model.slice(0, model.indexOf("/")), model.slice(model.indexOf("/") + 1)] : ["openai", model];
    const data: Json = { prompt, model, byok_api_key: picked.byok_api_key ?? null };
    if (picked.n !== undefined) data.n = picked.n;
    if (provider === "google") {
      const size = picked.size as string | undefined;
      data.aspect_ratio = picked.aspect_ratio ?? (size ? (size.includes(":") ? size : (GOOGLE_SIZES[size] ?? "1:1")) : "1:1");
    } else if (provider !== "xai" && picked.size !== undefined) {
      data.size = picked.size;
    }
    for (const field of ["quality", "style", "response_format"]) if (picked[field] !== undefined) data[field] = picked[field];
    if (Object.keys(kwargs).length > 0) data.additional_params = kwargs;
    const supported = supportedImageParams(provider, name);
    if (supported.length > 0) for (const field of Object.keys(data)) if (field !== "prompt" && field !== "model" && !supported.includes(field)) delete data[field];
    return this.json("POST", "images/generations", data);
  }

  textToSpeech(input: string, model: string, options: { voice?: string; response_format?: string; speed?: number; instructions?: string; byok_api_key?: string; [kwarg: string]: unknown } = {}): Promise<Json> {
    const { picked, kwargs } = IndoxClient.split(options, ["voice", "response_format", "speed", "instructions", "byok_api_key"]);
    const data: Json = { input, model };
    for (const field of ["voice", "response_format", "speed"]) if (picked[field] !== undefined) data[field] = picked[field];
    if (typeof picked.instructions === "string" && picked.instructions.trim()) data.instructions = picked.instructions;
    if (Object.keys(kwargs).length > 0) data.additional_params = kwargs;
    if (picked.byok_api_key) data.byok_api_key = picked.byok_api_key;
    return this.json("POST", "audio/tts/generations", data);
  }

  models(provider?: string): Promise<unknown> {
    return this.request("GET", provider ? `models/${provider}` : "models").then((r) => r.json());
  }

  getModelInfo(provider: string, model: string): Promise<Json> {
    return this.json("GET", `models/${provider}/${model}`);
  }

  getUsage(): Promise<Json> {
    return this.json("GET", "user/usage");
  }

  /** `_handle_streaming_response`: lines of `data: `; [DONE] ends; an `error` chunk raises; choices[0] is read. */
  private async *streamChunks(response: Response): AsyncGenerator<Json> {
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (value) buffer += decoder.decode(value, { stream: true });
        const lines = buffer.split(/\r?\n/);
        buffer = done ? "" : (lines.pop() ?? "");
        for (const line of lines) {
          if (!line.startsWith("data: ")) continue;
          const data = line.slice(6);
          if (data === "[DONE]") return;
          let chunk: Json;
          try {
            chunk = JSON.parse(data) as Json;
          } catch {
            yield { data };
            continue;
          }
          if ("error" in chunk) {
            const info = chunk.error;
            if (typeof info === "string") throw new IndoxError(info.includes("Status 401") ? "AuthenticationError" : "APIError", `API error during streaming: ${info}`);
            throw new IndoxError("APIError", `Streaming error: ${JSON.stringify(info)}`);
          }
          if ("choices" in chunk) {
            const choice = (chunk.choices as Json[])[0];
            if (choice === undefined) throw new IndoxError("IndexError", "list index out of range");
            const delta = choice.delta as Json | undefined;
            if (delta && "content" in delta) chunk.data = delta.content;
            else if ("text" in choice) chunk.data = choice.text;
          }
          yield chunk;
        }
        if (done) return;
      }
    } finally {
      reader.releaseLock();
      await response.body?.cancel().catch(() => {});
    }
  }
}
