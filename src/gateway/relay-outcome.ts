// What a stream relay is told (RelayOptions) and what it learns on the way (StreamOutcome): shared by the relay
// (stream-relay.ts) and its pass-through scanner (passthrough-scanner.ts).
import type { ClientDialect } from "../core/dialect.ts";
import type { GatewayError } from "../core/errors.ts";
import type { ChatRequest, ProviderContext, Usage } from "../plugins/sdk.ts";

export interface StreamOutcome {
  usage?: Usage;
  /** Chunks with choices sent to the client: about one token each, the estimate when no usage came. */
  chunks: number;
  model?: string;
  /** The upstream's id of the answer (its first chunk's `id`). */
  id?: string;
  finishReasons: string[];
  /** Why the stream ended early, if it did. */
  error?: string;
  /** The stream was ended by keyway (a budget or the credits ran out), with this error. */
  cutOff?: GatewayError;
  clientGone: boolean;
}

export interface RelayOptions {
  ctx: ProviderContext;
  /** The client's dialect: encodes chunks, the end and errors, and says which upstream format passes through. */
  dialect: ClientDialect;
  request: ChatRequest;
  /** The client asked for `stream_options.include_usage`. */
  includeUsage: boolean;
  abort: AbortController;
  /**
   * Asked after each relayed chunk with the stream so far; an error ends the stream there (upstream aborted,
   * the error sent as an event). Absent: nothing is checked.
   */
  cutoff?(outcome: StreamOutcome): GatewayError | undefined;
  /** Called once, when the stream is complete or abandoned; the stream's last bytes wait for what it returns. */
  onDone(outcome: StreamOutcome): Promise<void> | void;
}
