// OpenAI's `response_format` on the Messages API. json_schema becomes structured outputs (`output_config.format`)
// on models that have them; elsewhere, and for json_object, a tool whose input is the answer is forced, and its
// input comes back to the client as the message's text (JSON that parses and, for a schema, matches it).
import type { ChatRequest, ProviderContext } from "../../plugins/sdk.ts";
import { hasStructuredOutputs } from "./models.ts";
import type { AnthropicTool, AnthropicToolChoice } from "./types.ts";

/** The tool that carries a JSON answer on models without structured outputs. */
export const JSON_ANSWER_TOOL = "json_answer";

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

type JsonFormat = { kind: "schema"; name?: string; schema: Record<string, unknown> } | { kind: "object" };

function jsonFormatOf(format: unknown): JsonFormat | undefined {
  if (format === undefined || format === null) return undefined;
  if (!isRecord(format)) throw new Error("response_format must be an object with a type");
  if (format.type === "text") return undefined;
  if (format.type === "json_object") return { kind: "object" };
  if (format.type === "json_schema") {
    const spec = isRecord(format.json_schema) ? format.json_schema : {};
    if (!isRecord(spec.schema)) return { kind: "object" };
    return { kind: "schema", name: typeof spec.name === "string" ? spec.name : undefined, schema: spec.schema };
  }
  throw new Error(`response_format type '${String(format.type)}' is not one of text, json_object, json_schema`);
}

/**
 * The name of the tool that carries this request's JSON answer, or undefined when the answer is plain text
 * (no JSON asked, or structured outputs make the text itself the JSON). The answer and the stream use it to turn
 * that tool's input back into text.
 */
export function jsonAnswerTool(request: ChatRequest, ctx: ProviderContext): string | undefined {
  const format = jsonFormatOf(request.response_format);
  if (!format) return undefined;
  if (format.kind === "schema" && hasStructuredOutputs(ctx.model, ctx.options)) return undefined;
  return JSON_ANSWER_TOOL;
}

function answerTool(format: JsonFormat): AnthropicTool {
  if (format.kind === "object") {
    return { name: JSON_ANSWER_TOOL, description: "Give your whole answer as this tool's input: a JSON object.", input_schema: { type: "object" } };
  }
  const what = format.name ? ` (${format.name})` : "";
  return { name: JSON_ANSWER_TOOL, description: `Give your whole answer${what} as this tool's input, following its schema.`, input_schema: format.schema };
}

/** The client's own tool choice, translated; a named function or `none` keeps it, otherwise the JSON tool is due. */
function answerChoice(clientTools: boolean, clientChoice: AnthropicToolChoice | undefined): AnthropicToolChoice {
  if (clientChoice?.type === "tool") return clientChoice;
  const parallel = clientChoice && "disable_parallel_tool_use" in clientChoice ? { disable_parallel_tool_use: clientChoice.disable_parallel_tool_use } : {};
  // With the client's tools on offer the model may call one of them or answer through the JSON tool.
  if (clientTools && clientChoice?.type !== "none") return { type: "any", ...parallel };
  return { type: "tool", name: JSON_ANSWER_TOOL };
}

/**
 * Sets what the response format asks for on the Messages body (after tools and tool_choice are translated):
 * `output_config.format`, or the JSON tool and a tool_choice that makes the model use it.
 */
export function applyResponseFormat(request: ChatRequest, ctx: ProviderContext, body: Record<string, unknown>): void {
  const format = jsonFormatOf(request.response_format);
  if (!format) return;
  if (format.kind === "schema" && hasStructuredOutputs(ctx.model, ctx.options)) {
    const given = isRecord(request.output_config) ? request.output_config : {};
    body.output_config = { ...given, format: { type: "json_schema", schema: format.schema } };
    return;
  }
  const tools = Array.isArray(body.tools) ? (body.tools as AnthropicTool[]) : [];
  if (tools.some((tool) => tool.name === JSON_ANSWER_TOOL)) throw new Error(`a tool named '${JSON_ANSWER_TOOL}' cannot be sent together with response_format`);
  body.tools = [...tools, answerTool(format)];
  body.tool_choice = answerChoice(tools.length > 0, body.tool_choice as AnthropicToolChoice | undefined);
}
