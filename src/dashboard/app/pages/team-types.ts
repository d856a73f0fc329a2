// The shapes GET/PATCH /v1/teams answer, as the team pages read them.

export type MemberRole = "admin" | "developer" | "viewer";

export interface ProviderRule {
  enabled?: boolean;
  models?: string[];
  max_cost_per_day?: number;
  require_approval_above?: number;
}

export interface UsageControls {
  log_all_requests?: boolean;
  require_project_tag?: boolean;
  allowed_projects?: string[];
  block_sensitive_content?: boolean;
}

export interface TeamMember {
  id: string;
  email: string;
  role: MemberRole;
  byok_access: boolean;
  key_id: string;
  /** Only in the answer that created the member, once. */
  key?: string;
}

export interface Team {
  id: string;
  name: string;
  account_id: string;
  byok_permissions: { providers?: Record<string, ProviderRule> };
  usage_controls: UsageControls;
  ip_allowlist: string[] | null;
  members: TeamMember[];
  created_at: string;
}

export const ROLES: { value: MemberRole; label: string }[] = [
  { value: "admin", label: "admin" },
  { value: "developer", label: "developer" },
  { value: "viewer", label: "viewer" },
];
