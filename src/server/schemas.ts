// Request body schemas of the management API (the data plane's are the OpenAI dialect's, src/dialects/openai-chat/).
import { Type as T } from "@sinclair/typebox";
import { ByokPermissions, TeamMemberInput, UsageControls } from "../teams/team-settings.ts";

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
        },
        // A provider's own settings (its adapter's keySettings) are checked by the route, which knows the provider.
        { additionalProperties: true },
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

export const PatchTeamMemberBody = T.Object(
  {
    role: T.Optional(T.Union([T.Literal("admin"), T.Literal("developer"), T.Literal("viewer")])),
    byok_access: T.Optional(T.Boolean()),
  },
  { additionalProperties: false },
);
