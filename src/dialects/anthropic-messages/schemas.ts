// Request body schemas of Anthropic's Messages API (POST /v1/messages and /v1/messages/count_tokens), as keyway
// checks them: the fields it reads are typed, everything else passes (it goes to Anthropic as the client wrote it).
import { type Static, Type as T } from "@sinclair/typebox";

const open = { additionalProperties: true } as const;

const KeywayFields = {
  byok_api_key: T.Optional(T.String()),
  provider: T.Optional(T.String({ minLength: 1 })),
  routing: T.Optional(T.Object({}, open)),
};

/** A content block: typed by `type`; the fields of each type are checked where it is translated. */
export const Block = T.Object({ type: T.String({ minLength: 1 }) }, open);
/** A content block as the translation reads it: its type, and whatever fields that type has. */
export type Block = { type: string; [field: string]: unknown };

const Message = T.Object(
  {
    role: T.Union([T.Literal("user"), T.Literal("assistant")]),
    content: T.Union([T.String(), T.Array(Block)]),
  },
  open,
);

const TextBlock = T.Object({ type: T.Literal("text"), text: T.String() }, open);

const Tool = T.Object(
  { name: T.String({ minLength: 1 }), type: T.Optional(T.String()), description: T.Optional(T.String()), input_schema: T.Optional(T.Unknown()) },
  open,
);

const ToolChoice = T.Object(
  {
    type: T.Union([T.Literal("auto"), T.Literal("any"), T.Literal("tool"), T.Literal("none")]),
    name: T.Optional(T.String({ minLength: 1 })),
    disable_parallel_tool_use: T.Optional(T.Boolean()),
  },
  open,
);

const Thinking = T.Object(
  { type: T.String({ minLength: 1 }), budget_tokens: T.Optional(T.Integer({ minimum: 0 })) },
  open,
);

/** What a Messages request and a token count share: the prompt (system, messages, tools, thinking). */
const PromptFields = {
  model: T.String({ minLength: 1 }),
  messages: T.Array(Message, { minItems: 1 }),
  system: T.Optional(T.Union([T.String(), T.Array(TextBlock)])),
  tools: T.Optional(T.Array(Tool)),
  tool_choice: T.Optional(ToolChoice),
  thinking: T.Optional(Thinking),
  ...KeywayFields,
};

export const MessagesBody = T.Object(
  {
    ...PromptFields,
    max_tokens: T.Integer({ minimum: 1 }),
    stream: T.Optional(T.Boolean()),
    stop_sequences: T.Optional(T.Array(T.String())),
    temperature: T.Optional(T.Number({ minimum: 0, maximum: 1 })),
    top_p: T.Optional(T.Number({ minimum: 0, maximum: 1 })),
    top_k: T.Optional(T.Integer({ minimum: 0 })),
    metadata: T.Optional(T.Object({ user_id: T.Optional(T.Union([T.String(), T.Null()])) }, open)),
  },
  open,
);
export type MessagesBody = Static<typeof MessagesBody> & Record<string, unknown>;

export const CountTokensBody = T.Object(PromptFields, open);
export type CountTokensBody = Static<typeof CountTokensBody> & Record<string, unknown>;
