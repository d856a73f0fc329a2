// A team's settings as clients write them (the ParrotRouter seed's byok_permissions and usage_controls).
import { type Static, Type as T } from "@sinclair/typebox";

export const ProviderPermission = T.Object(
  {
    enabled: T.Optional(T.Boolean({ description: "Default true" })),
    models: T.Optional(T.Array(T.String({ minLength: 1 }), { description: "Allowlist; absent: every model" })),
    max_cost_per_day: T.Optional(T.Number({ minimum: 0, description: "USD at list price, per UTC day (budgets.time_zone)" })),
    require_approval_above: T.Optional(T.Number({ minimum: 0, description: "USD: a request estimated above this needs approval" })),
  },
  { additionalProperties: false },
);

export const UsageControls = T.Object(
  {
    log_all_requests: T.Optional(T.Boolean()),
    require_project_tag: T.Optional(T.Boolean()),
    allowed_projects: T.Optional(T.Array(T.String({ minLength: 1 }))),
    block_sensitive_content: T.Optional(T.Boolean()),
  },
  { additionalProperties: false },
);

export const ByokPermissions = T.Object(
  {
    providers: T.Optional(T.Record(T.String(), ProviderPermission)),
    /** Accepted here too, as the seed writes it. */
    usage_controls: T.Optional(UsageControls),
  },
  { additionalProperties: false },
);

export const TeamMemberInput = T.Object(
  {
    email: T.String({ minLength: 3, maxLength: 320, pattern: "^[^@\\s]+@[^@\\s]+$" }),
    role: T.Union([T.Literal("admin"), T.Literal("developer"), T.Literal("viewer")]),
    byok_access: T.Optional(T.Boolean({ description: "Default true for admins and developers, false for viewers" })),
  },
  { additionalProperties: false },
);

export type ProviderPermissionSettings = Static<typeof ProviderPermission>;
export type UsageControlSettings = Static<typeof UsageControls>;
export type TeamPermissions = { providers?: Record<string, ProviderPermissionSettings> };
export type TeamMemberSettings = Static<typeof TeamMemberInput>;
