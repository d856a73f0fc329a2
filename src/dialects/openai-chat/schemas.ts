// Request body schemas of the OpenAI dialect's endpoints. Loose where OpenAI is loose: unknown fields pass
// through, and a top-level null stands for a field left out.
import { Type as T } from "@sinclair/typebox";
import { NULL_MEANS_ABSENT } from "../body-check.ts";

const open = { additionalProperties: true } as const;
/** An OpenAI request body: open, and `null` for an optional field is the field left out (body-check.ts drops it). */
const openAIBody = { ...open, [NULL_MEANS_ABSENT]: true } as const;

const KeywayFields = {
  byok_api_key: T.Optional(T.String()),
  provider: T.Optional(T.String({ minLength: 1 })),
  routing: T.Optional(T.Object({}, open)),
};

const Model = T.String({ minLength: 1 });
const Stream = T.Optional(T.Boolean());
const StreamOptions = T.Optional(T.Object({ include_usage: T.Optional(T.Boolean()) }, open));

const ContentPart = T.Object({ type: T.String({ minLength: 1 }) }, open);
const Message = T.Object(
  {
    role: T.Union([
      T.Literal("system"),
      T.Literal("developer"),
      T.Literal("user"),
      T.Literal("assistant"),
      T.Literal("tool"),
      T.Literal("function"),
    ]),
    content: T.Optional(T.Union([T.String(), T.Array(ContentPart), T.Null()])),
    name: T.Optional(T.String()),
    tool_call_id: T.Optional(T.String()),
    tool_calls: T.Optional(
      T.Array(
        T.Object(
          { id: T.String(), type: T.String(), function: T.Object({ name: T.String(), arguments: T.String() }, open) },
          open,
        ),
      ),
    ),
  },
  open,
);

const Tool = T.Object(
  { type: T.String(), function: T.Optional(T.Object({ name: T.String({ minLength: 1 }) }, open)) },
  open,
);

export const ChatBody = T.Object(
  {
    /** Optional only with `provider` and a stored key whose settings name a default_model. */
    model: T.Optional(Model),
    messages: T.Array(Message, { minItems: 1 }),
    stream: Stream,
    stream_options: StreamOptions,
    max_tokens: T.Optional(T.Integer({ minimum: 1 })),
    max_completion_tokens: T.Optional(T.Integer({ minimum: 1 })),
    temperature: T.Optional(T.Number({ minimum: 0, maximum: 2 })),
    top_p: T.Optional(T.Number({ minimum: 0, maximum: 1 })),
    n: T.Optional(T.Integer({ minimum: 1 })),
    stop: T.Optional(T.Union([T.String(), T.Array(T.String())])),
    tools: T.Optional(T.Array(Tool)),
    ...KeywayFields,
  },
  openAIBody,
);

export const CompletionBody = T.Object(
  {
    model: Model,
    prompt: T.Union([T.String(), T.Array(T.String()), T.Array(T.Integer()), T.Array(T.Array(T.Integer()))]),
    stream: Stream,
    stream_options: StreamOptions,
    max_tokens: T.Optional(T.Integer({ minimum: 1 })),
    ...KeywayFields,
  },
  openAIBody,
);

export const EmbeddingBody = T.Object(
  {
    model: Model,
    input: T.Union([T.String(), T.Array(T.String(), { minItems: 1 }), T.Array(T.Integer()), T.Array(T.Array(T.Integer()))]),
    ...KeywayFields,
  },
  openAIBody,
);

export const ImageBody = T.Object(
  {
    model: Model,
    prompt: T.String({ minLength: 1 }),
    n: T.Optional(T.Integer({ minimum: 1, maximum: 10 })),
    size: T.Optional(T.String({ pattern: "^\\d+x\\d+$" })),
    aspect_ratio: T.Optional(T.String({ pattern: "^\\d+:\\d+$" })),
    ...KeywayFields,
  },
  openAIBody,
);

export const SpeechBody = T.Object(
  {
    model: Model,
    input: T.String({ minLength: 1 }),
    voice: T.String({ minLength: 1 }),
    ...KeywayFields,
  },
  openAIBody,
);

/** A part of a multimodal moderation input (omni-moderation): text, or an image by URL or data: URL. */
const ModerationPart = T.Union([
  T.Object({ type: T.Literal("text"), text: T.String() }, open),
  T.Object({ type: T.Literal("image_url"), image_url: T.Object({ url: T.String({ minLength: 1 }) }, open) }, open),
]);

export const ModerationBody = T.Object(
  {
    /** Optional, as at OpenAI: left out, the dialect names omni-moderation-latest. */
    model: T.Optional(Model),
    input: T.Union([T.String(), T.Array(T.String(), { minItems: 1 }), T.Array(ModerationPart, { minItems: 1 })]),
    ...KeywayFields,
  },
  openAIBody,
);
