// Request body schemas of the data plane. Loose where OpenAI is loose: unknown fields pass through, and a
// top-level null stands for a field left out.
import { Type as T } from "@sinclair/typebox";
import { ByokPermissions, TeamMemberInput, UsageControls } from "../teams/team-settings.ts";
import { NULL_MEANS_ABSENT } from "./body.ts";

const open = { additionalProperties: true } as const;
/** An OpenAI request body: open, and `null` for an optional field is the field left out (body.ts drops it). */
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

export const CreateApiKeyBody = T.Object(
  {
    name: T.String({ minLength: 1, maxLength: 200 }),
    account_id: T.Optional(T.String({ minLength: 1 })),
    team_id: T.Optional(T.String({ minLength: 1 })),
    role: T.Optional(T.Union([T.Literal("admin"), T.Literal("developer"), T.Literal("viewer")])),
    ip_allowlist: T.Optional(T.Array(T.String({ minLength: 1 }))),
    expires_at: T.Optional(T.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}", description: "ISO 8601 date-time" })),
  },
  { additionalProperties: false },
);

const StoredKeyEntry = T.Object(
  {
    name: T.String({ minLength: 1 }),
    api_key: T.String({ minLength: 1 }),
    organization_id: T.Optional(T.String({ minLength: 1 })),
    label: T.Optional(T.String({ minLength: 1, maxLength: 200 })),
    environment: T.Optional(T.String({ minLength: 1, maxLength: 50 })),
    settings: T.Optional(
      T.Object(
        {
          default_model: T.Optional(T.String({ minLength: 1 })),
          max_tokens_default: T.Optional(T.Integer({ minimum: 1 })),
          temperature_default: T.Optional(T.Number({ minimum: 0, maximum: 2 })),
          safety_settings: T.Optional(T.Unknown()),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const StoreKeysBody = T.Object(
  {
    providers: T.Array(StoredKeyEntry, { minItems: 1, maxItems: 50 }),
    encryption: T.Optional(
      T.Object(
        {
          method: T.Optional(T.Literal("AES-256-GCM")),
          key_rotation: T.Optional(T.Boolean()),
          rotation_days: T.Optional(T.Integer({ minimum: 1, maximum: 3650 })),
        },
        { additionalProperties: false },
      ),
    ),
    account_id: T.Optional(T.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

const Webhooks = T.Optional(T.Array(T.String({ minLength: 1 }), { maxItems: 10 }));

export const RotateKeyBody = T.Object(
  {
    provider: T.String({ minLength: 1 }),
    key_id: T.Optional(T.String({ minLength: 1 })),
    new_api_key: T.String({ minLength: 1 }),
    rotation_strategy: T.Optional(T.Union([T.Literal("immediate"), T.Literal("gradual")])),
    grace_period_minutes: T.Optional(T.Number({ minimum: 0, maximum: 60 * 24 * 30 })),
    test_before_switch: T.Optional(T.Boolean()),
    notification_webhooks: Webhooks,
    account_id: T.Optional(T.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

export const RotationScheduleBody = T.Object(
  {
    provider: T.String({ minLength: 1 }),
    schedule: T.String({ minLength: 1 }),
    notification_webhooks: Webhooks,
    notification_email: T.Optional(T.Unknown()),
    account_id: T.Optional(T.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

export const CreateAccountBody = T.Object(
  {
    name: T.String({ minLength: 1, maxLength: 200 }),
    credits: T.Optional(T.Number({ minimum: 0, description: "USD" })),
  },
  { additionalProperties: false },
);

export const AddCreditsBody = T.Object(
  { amount: T.Number({ exclusiveMinimum: 0, maximum: 1_000_000, description: "USD to add" }) },
  { additionalProperties: false },
);

export const CreateTeamBody = T.Object(
  {
    name: T.String({ minLength: 1, maxLength: 200 }),
    byok_permissions: T.Optional(ByokPermissions),
    usage_controls: T.Optional(UsageControls),
    members: T.Optional(T.Array(TeamMemberInput, { maxItems: 500 })),
    ip_allowlist: T.Optional(T.Array(T.String({ minLength: 1 }))),
    account_id: T.Optional(T.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

export const PatchTeamBody = T.Object(
  {
    name: T.Optional(T.String({ minLength: 1, maxLength: 200 })),
    byok_permissions: T.Optional(ByokPermissions),
    usage_controls: T.Optional(UsageControls),
    /** Members to add; each new member's key is in the answer, once. */
    members: T.Optional(T.Array(TeamMemberInput, { maxItems: 500 })),
    ip_allowlist: T.Optional(T.Array(T.String({ minLength: 1 }))),
  },
  { additionalProperties: false },
);
