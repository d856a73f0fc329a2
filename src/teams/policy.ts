// The team policy of one call: who may call, which team applies (X-Team-ID), project tags, sensitive content,
// team IP allowlists, and which providers and models the team's permissions leave.
import type { ClientAddress } from "../core/call.ts";
import type { Principal } from "../core/principal.ts";
import { ipAllowed } from "../accounts/ip-allowlist.ts";
import { GatewayError } from "../core/errors.ts";
import type { Target } from "../core/provider-set.ts";
import type { TeamMemberRecord } from "../store/repositories/teams.ts";
import { findSensitive, requestText } from "./sensitive-content.ts";
import type { TeamContext, TeamDirectory } from "./team-directory.ts";
import type { TeamPermissions } from "./team-settings.ts";

export interface CallPolicy {
  team?: TeamContext;
  member?: TeamMemberRecord;
  projectTag?: string;
  /** False for team members without byok_access: no stored key may pay for their calls. */
  storedKeysAllowed: boolean;
}

/** Who calls, with which headers and from where (an InferenceCall is one). */
export interface PolicyInput {
  principal: Principal;
  headers: Headers;
  /** Read only when a team's IP allowlist asks for it (the socket's address is read then). */
  peer?: ClientAddress;
}

const SENSITIVE_WORDS = { api_key: "an API key or token", private_key: "a private key", credit_card: "a payment card number", ssn: "a social security number", iban: "a bank account number (IBAN)" } as const;

/** The policy of a call that no team applies to (shared: a policy is never changed once made). */
const NO_TEAM: CallPolicy = Object.freeze({ storedKeysAllowed: true });

/** The id of the team the call acts for (its key's team, or the X-Team-ID an admin sends), if any. */
function teamIdOf(input: PolicyInput): string | undefined {
  const { principal } = input;
  const asked = input.headers.get("x-team-id")?.trim() || undefined;
  if (principal.teamId !== null) {
    if (asked !== undefined && asked !== principal.teamId) throw new GatewayError("permission_denied", `This key belongs to team ${principal.teamId}, not ${asked}.`);
  } else if (asked !== undefined && !principal.operator && principal.role !== "admin") {
    throw new GatewayError("permission_denied", "Only team members and account admins may act for a team (X-Team-ID).");
  }
  return principal.teamId ?? asked;
}

/**
 * The call's policy; `body` is what goes upstream (read for sensitive content). A call outside any team has its
 * policy at once, without a promise; a team's is read from the directory.
 */
export function evaluatePolicy(input: PolicyInput, body: Record<string, unknown>, directory: TeamDirectory): CallPolicy | Promise<CallPolicy> {
  if (input.principal.role === "viewer") throw new GatewayError("permission_denied", "Viewer keys can read, not make calls.");
  const id = teamIdOf(input);
  return id === undefined ? NO_TEAM : teamPolicy(input, body, id, directory);
}

async function teamPolicy(input: PolicyInput, body: Record<string, unknown>, id: string, directory: TeamDirectory): Promise<CallPolicy> {
  const { principal } = input;
  const team = await directory.team(id);
  if (!team || (!principal.operator && team.team.accountId !== principal.accountId)) throw new GatewayError("not_found", `No team '${id}'.`);
  const member = principal.teamId !== null ? await directory.member(principal.keyId) : undefined;
  if (team.team.ipAllowlist && team.team.ipAllowlist.length > 0) {
    const address = input.peer?.address;
    if (!ipAllowed(team.team.ipAllowlist, address)) throw new GatewayError("ip_not_allowed", `Team ${team.team.name} does not allow calls from ${address ?? "an unknown address"}.`);
  }
  const tag = input.headers.get("x-project-tag")?.trim() || undefined;
  const allowed = team.controls.allowed_projects;
  if ((team.controls.require_project_tag && tag === undefined) || (tag !== undefined && allowed && allowed.length > 0 && !allowed.includes(tag))) {
    const list = allowed && allowed.length > 0 ? `: one of ${allowed.join(", ")}` : "";
    throw new GatewayError("project_tag_required", `Team ${team.team.name} requires an X-Project-Tag header${list}.`);
  }
  if (team.controls.block_sensitive_content) {
    const kind = findSensitive(requestText(body));
    if (kind) {
      throw new GatewayError("content_blocked", `The request contains what looks like ${SENSITIVE_WORDS[kind]} (${kind}); team policy blocks it. Remove it and try again.`, { extra: { kind } });
    }
  }
  return { team, member, projectTag: tag, storedKeysAllowed: member ? member.byokAccess : true };
}

/**
 * The team's model permission, the one rule (calls and the /v1/models listing): a provider without a rule is
 * open; a rule with `enabled: false` closes it; a rule with `models` opens only those models.
 */
export function teamAllows(permissions: TeamPermissions | undefined, provider: string, model: string): boolean {
  const rule = permissions?.providers?.[provider];
  if (!rule) return true;
  return rule.enabled !== false && (!rule.models || rule.models.includes(model));
}

/** Removes providers and models the team may not use; refuses when nothing is left. */
export function allowedTargets(targets: Target[], policy: CallPolicy): Target[] {
  if (!policy.team) return targets;
  const permissions = policy.team.permissions;
  const left = targets.filter((t) => teamAllows(permissions, t.provider.name, t.model));
  if (left.length > 0) return left;
  const asked = targets.map((t) => `${t.provider.name}/${t.model}`).join(", ");
  throw new GatewayError("model_not_allowed", `Team ${policy.team.team.name} may not use ${asked}.`, { param: "model" });
}
