// What the provider contract asks of every adapter, shared by keyway's own suite (test/providers/contract.ts, through a
// real gateway) and the kit's `runProviderContract` (in process, for plugin authors): the requests, the tool, the
// failures a mock must be able to produce, and the mock's shape.

/** The user text every answer must echo back (the mocks answer with what they were told). */
export const CONTRACT_PROMPT = "hello contract";
export const CONTRACT_SYSTEM = "Be brief.";
/** A request long enough for a stream of several chunks (the mock drops the connection midway). */
export const LONG_PROMPT = "a longer answer please";

export const WEATHER_TOOL = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "Current weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};
export const WEATHER_QUESTION = "weather in Paris?";
/** The arguments a mock's tool call carries for WEATHER_QUESTION. */
export const WEATHER_ARGUMENTS = { city: "Paris" };
/** The tool result sent back; the final answer must contain it. */
export const WEATHER_RESULT = "sunny, 21C";
/** The Retry-After a rate-limited mock sends; keyway must pass it on. */
export const RETRY_AFTER = "17";

/** A request the mock received, as it came. */
export interface RecordedCall {
  method: string;
  path: string;
  /** The query string, with its '?' (where a leaked `key=` would show). */
  search: string;
  headers: Record<string, string>;
  /** A JSON body, parsed; a multipart form's fields (a file as `{file, type, size}`, a repeated field as a list). */
  body: Record<string, unknown> | undefined;
  /** The multipart form as it came, for uploads. */
  form?: FormData;
  aborted: boolean;
}

/** Failures in keyway's terms; each mock renders them in its own provider's wire format. */
export type ContractFailure =
  | { kind: "auth" }
  | { kind: "rate_limit"; retryAfter: string }
  | { kind: "server_error" }
  | { kind: "disconnect"; afterChunks: number };

/** What the contract needs of a mock upstream. */
export interface ContractMock {
  /** The base URL the adapter is given (`ctx.baseUrl`, `providers.<name>.base_url`). */
  readonly url: string;
  readonly calls: RecordedCall[];
  /** The next request fails this way. */
  failNext(failure: ContractFailure): void;
  stop(): Promise<void>;
}
