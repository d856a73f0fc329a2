// Internal chat chunks as the Responses event stream (`event: <type>` + `data: {type, sequence_number, ...}`):
// response.created and response.in_progress first; each text run a message item (output_item.added,
// content_part.added, output_text.delta ..., output_text.done, content_part.done, output_item.done); each tool call a
// function_call item with function_call_arguments.delta/.done; then response.completed (or response.incomplete)
// carrying the whole response and its usage. A failure is an `error` event followed by response.failed.
import type { StreamEncoder, StreamStart } from "../../core/dialect.ts";
import type { GatewayError } from "../../core/errors.ts";
import type { ChatCompletionChunk, FinishReason, ToolCallDelta, Usage } from "../../plugins/sdk.ts";
import {
  functionCallItem,
  messageItem,
  newFunctionCallId,
  newMessageId,
  newResponseId,
  outputTextPart,
  type ResponseItem,
  type ResponseStatus,
  responseObject,
  responsesUsage,
  statusFor,
} from "./response-object.ts";

const encoder = new TextEncoder();

interface OpenMessage {
  kind: "message";
  id: string;
  text: string;
  done: boolean;
}
interface OpenCall {
  kind: "function_call";
  id: string;
  callId: string;
  name: string;
  args: string;
  done: boolean;
}
type Output = OpenMessage | OpenCall;

function itemOf(output: Output): ResponseItem {
  const status = output.done ? "completed" : "in_progress";
  return output.kind === "message" ? messageItem(output.id, output.text, status) : functionCallItem(output.id, output.callId, output.name, output.args, status);
}

export function responsesStreamEncoder(start: StreamStart): StreamEncoder {
  const id = newResponseId();
  const createdAt = Math.floor(Date.now() / 1000);
  let model = typeof start.request.model === "string" ? start.request.model : "";
  let sequence = 0;
  let started = false;
  let finish: FinishReason | undefined;
  let usage: Usage | undefined;
  const outputs: Output[] = [];
  /** The message item text is going to, if one is open. */
  let message: OpenMessage | undefined;
  /** Output index of each tool call, by its chunk index. */
  const calls = new Map<number, number>();
  let events: string[] = [];

  const emit = (type: string, payload: Record<string, unknown>) => {
    events.push(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...payload })}\n\n`);
  };
  const snapshot = (status: ResponseStatus, extra: { incompleteDetails?: { reason: string } | null; error?: { code: string; message: string } } = {}) =>
    responseObject({ id, createdAt, model, status, output: outputs.map(itemOf), usage: usage && status !== "in_progress" ? responsesUsage(usage) : null, ...extra });
  const flush = (): Uint8Array | undefined => {
    if (events.length === 0) return undefined;
    const bytes = encoder.encode(events.join(""));
    events = [];
    return bytes;
  };

  const begin = () => {
    if (started) return;
    started = true;
    emit("response.created", { response: snapshot("in_progress") });
    emit("response.in_progress", { response: snapshot("in_progress") });
  };
  const close = (output: Output) => {
    if (output.done) return;
    const index = outputs.indexOf(output);
    if (output.kind === "message") {
      emit("response.output_text.done", { item_id: output.id, output_index: index, content_index: 0, text: output.text, logprobs: [] });
      emit("response.content_part.done", { item_id: output.id, output_index: index, content_index: 0, part: outputTextPart(output.text) });
      if (message === output) message = undefined;
    } else {
      emit("response.function_call_arguments.done", { item_id: output.id, output_index: index, name: output.name, arguments: output.args });
    }
    output.done = true;
    emit("response.output_item.done", { output_index: index, item: itemOf(output) });
  };
  const text = (delta: string) => {
    if (!message) {
      message = { kind: "message", id: newMessageId(), text: "", done: false };
      outputs.push(message);
      const index = outputs.length - 1;
      emit("response.output_item.added", { output_index: index, item: itemOf(message) });
      emit("response.content_part.added", { item_id: message.id, output_index: index, content_index: 0, part: outputTextPart("") });
    }
    message.text += delta;
    emit("response.output_text.delta", { item_id: message.id, output_index: outputs.indexOf(message), content_index: 0, delta, logprobs: [] });
  };
  const toolCall = (delta: ToolCallDelta) => {
    let index = calls.get(delta.index);
    if (index === undefined) {
      if (message) close(message);
      const call: OpenCall = { kind: "function_call", id: newFunctionCallId(), callId: delta.id ?? `call_${newFunctionCallId().slice(3)}`, name: delta.function?.name ?? "", args: "", done: false };
      outputs.push(call);
      index = outputs.length - 1;
      calls.set(delta.index, index);
      emit("response.output_item.added", { output_index: index, item: itemOf(call) });
    }
    const call = outputs[index] as OpenCall;
    if (call.name === "" && delta.function?.name) call.name = delta.function.name;
    const args = delta.function?.arguments;
    if (args) {
      call.args += args;
      emit("response.function_call_arguments.delta", { item_id: call.id, output_index: index, delta: args });
    }
  };
  const closeAll = () => {
    for (const output of outputs) close(output);
  };

  return {
    chunk(chunk: ChatCompletionChunk) {
      if (typeof chunk.model === "string" && chunk.model !== "") model = chunk.model;
      if (chunk.usage) usage = chunk.usage;
      begin();
      // Responses has one output: the first choice (keyway's dialect never asks for more).
      const choice = chunk.choices.find((c) => c.index === 0);
      if (choice) {
        const { content, tool_calls: toolCalls } = choice.delta;
        if (typeof content === "string" && content !== "") text(content);
        for (const delta of toolCalls ?? []) toolCall(delta);
        if (choice.finish_reason) {
          finish = choice.finish_reason;
          closeAll();
        }
      }
      return flush();
    },
    end() {
      begin();
      closeAll();
      const { status, incomplete_details } = statusFor(finish);
      emit(status === "completed" ? "response.completed" : "response.incomplete", { response: snapshot(status, { incompleteDetails: incomplete_details }) });
      return flush() ?? new Uint8Array();
    },
    error(error: GatewayError) {
      // After a passed-through stream only the error event is ours: response.failed would restart its sequence.
      if (start.native) {
        emit("error", { code: error.code, message: error.message, param: error.param });
        return flush() ?? new Uint8Array();
      }
      begin();
      emit("error", { code: error.code, message: error.message, param: error.param });
      emit("response.failed", { response: snapshot("failed", { error: { code: error.code, message: error.message } }) });
      return flush() ?? new Uint8Array();
    },
  };
}
