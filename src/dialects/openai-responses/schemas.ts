// The request body schema of OpenAI's Responses API (POST /v1/responses), as keyway checks it before translating.
// Loose where OpenAI is loose: unknown fields and item types pass the check (the decoder decides what they mean),
// and a top-level null stands for a field left out.
import { Type as T } from "@sinclair/typebox";
import { NULL_MEANS_ABSENT } from "../body-check.ts";

const open = { additionalProperties: true } as const;

/** One input item: a message (`role`), or a typed item (function_call, function_call_output, reasoning, ...). */
const InputItem = T.Object({ type: T.Optional(T.String({ minLength: 1 })), role: T.Optional(T.String()) }, open);

/** A tool: `function` tools are translated for every provider; OpenAI's hosted tools only OpenAI runs. */
const Tool = T.Object({ type: T.String({ minLength: 1 }), name: T.Optional(T.String({ minLength: 1 })) }, open);

const TextFormat = T.Object({ type: T.String({ minLength: 1 }) }, open);

export const ResponsesBody = T.Object(
  {
    /** Optional only with `provider` and a stored key whose settings name a default_model. */
    model: T.Optional(T.String({ minLength: 1 })),
    input: T.Optional(T.Union([T.String(), T.Array(InputItem)])),
    instructions: T.Optional(T.String()),
    stream: T.Optional(T.Boolean()),
    max_output_tokens: T.Optional(T.Integer({ minimum: 1 })),
    temperature: T.Optional(T.Number({ minimum: 0, maximum: 2 })),
    top_p: T.Optional(T.Number({ minimum: 0, maximum: 1 })),
    tools: T.Optional(T.Array(Tool)),
    tool_choice: T.Optional(T.Union([T.String(), T.Object({ type: T.String({ minLength: 1 }) }, open)])),
    parallel_tool_calls: T.Optional(T.Boolean()),
    text: T.Optional(T.Object({ format: T.Optional(TextFormat) }, open)),
    reasoning: T.Optional(T.Object({ effort: T.Optional(T.Union([T.String(), T.Null()])) }, open)),
    previous_response_id: T.Optional(T.String({ minLength: 1 })),
    store: T.Optional(T.Boolean()),
    byok_api_key: T.Optional(T.String()),
    provider: T.Optional(T.String({ minLength: 1 })),
    routing: T.Optional(T.Object({}, open)),
  },
  { ...open, [NULL_MEANS_ABSENT]: true },
);
