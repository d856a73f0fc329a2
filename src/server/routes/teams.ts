// Teams over HTTP: create with members (keys shown once), read, change, delete; the team request log.
import { Elysia } from "elysia";
import { GatewayError, invalidRequest } from "../../core/errors.ts";
import { newId } from "../../store/ids.ts";
import type { TeamMemberRecord, TeamRecord } from "../../store/repositories/teams.ts";
import { type Action, authorize, targetAccount } from "../../accounts/permissions.ts";
import { type NewMember, newMembers, teamSettings } from "../../teams/teams-service.ts";
import { bodyValidator, readJsonBody } from "../body.ts";
import type { AppDeps } from "../context.ts";
import type { Principal } from "../../core/principal.ts";
import { guarded, json } from "../guard.ts";
import { limitParam } from "../query-limit.ts";
import { CreateTeamBody, PatchTeamBody, PatchTeamMemberBody } from "../schemas.ts";

const validateCreate = bodyValidator(CreateTeamBody);
const validatePatch = bodyValidator(PatchTeamBody);
const validateMemberPatch = bodyValidator(PatchTeamMemberBody);

function memberView(member: TeamMemberRecord, key?: string) {
  return { id: member.id, email: member.email, role: member.role, byok_access: member.byokAccess, key_id: member.apiKeyId, ...(key ? { key } : {}) };
}

function teamView(team: TeamRecord, members: TeamMemberRecord[], fresh: NewMember[] = []) {
  const keys = new Map(fresh.map((m) => [m.record.id, m.key]));
  return {
    id: team.id,
    object: "team",
    name: team.name,
    account_id: team.accountId,
    byok_permissions: team.permissions,
    usage_controls: team.usageControls,
    ip_allowlist: team.ipAllowlist,
    members: members.map((m) => memberView(m, keys.get(m.id))),
    created_at: new Date(team.createdAt).toISOString(),
  };
}

export function teamRoutes(deps: AppDeps) {
  const { store } = deps;
  const readBody = (request: Request) => readJsonBody(request, deps.config.server.max_body_bytes);
  const loadTeam = async (id: string | undefined) => {
    const team = id ? await store.teams.get(id) : undefined;
    if (!team) throw new GatewayError("not_found", `No team '${id}'.`);
    return team;
  };
  /** The team named, once the caller's role may do `action` and the team lies within its reach. */
  const teamFor = async (principal: Principal, action: Action, id: string | undefined) => {
    authorize(principal, action);
    const team = await loadTeam(id);
    authorize(principal, action, { kind: "team", id: team.id, accountId: team.accountId, teamId: team.id });
    return team;
  };

  return new Elysia({ name: "teams" })
    .post(
      "/v1/teams",
      guarded(deps, async ({ principal, request }) => {
        authorize(principal, "teams.create");
        const body = validateCreate(await readBody(request));
        const accountId = targetAccount(principal, body.account_id);
        const { permissions, controls } = teamSettings(body, deps.providers);
        const team: TeamRecord = {
          id: newId("team"),
          accountId,
          name: body.name,
          permissions: permissions ?? { providers: {} },
          usageControls: controls ?? {},
          ipAllowlist: body.ip_allowlist ?? null,
          createdAt: Date.now(),
        };
        const { members, keys } = newMembers(team, body.members ?? []);
        await store.teams.create(team, members.map((m) => m.record), keys);
        deps.signals.publish({ kind: "teams" });
        return json(teamView(team, members.map((m) => m.record), members), 201);
      }),
    )
    .get(
      "/v1/teams",
      guarded(deps, async ({ principal }) => {
        const teams = await store.teams.list(authorize(principal, "teams.read"));
        const data = await Promise.all(teams.map(async (team) => teamView(team, await store.teams.members(team.id))));
        return json({ object: "list", data });
      }),
    )
    .get(
      "/v1/teams/:id",
      guarded(deps, async ({ principal, params }) => {
        const team = await teamFor(principal, "teams.read", params.id);
        return json(teamView(team, await store.teams.members(team.id)));
      }),
    )
    .patch(
      "/v1/teams/:id",
      guarded(deps, async ({ principal, params, request }) => {
        const team = await teamFor(principal, "teams.update", params.id);
        const body = validatePatch(await readBody(request));
        const { permissions, controls } = teamSettings(body, deps.providers);
        const changes = {
          ...(body.name !== undefined ? { name: body.name } : {}),
          ...(permissions ? { permissions } : {}),
          ...(controls ? { usageControls: controls } : {}),
          ...(body.ip_allowlist !== undefined ? { ipAllowlist: body.ip_allowlist } : {}),
        };
        if (Object.keys(changes).length === 0 && !body.members?.length) {
          throw invalidRequest("Nothing to change: send at least one of name, byok_permissions, usage_controls, ip_allowlist, members.");
        }
        if (Object.keys(changes).length > 0) await store.teams.update(team.id, changes);
        const { members, keys } = newMembers(team, body.members ?? []);
        await store.teams.addMembers(members.map((m) => m.record), keys);
        deps.signals.publish({ kind: "teams" });
        const updated = await loadTeam(team.id);
        return json(teamView(updated, await store.teams.members(team.id), members));
      }),
    )
    .patch(
      "/v1/teams/:id/members/:member_id",
      guarded(deps, async ({ principal, params, request }) => {
        const team = await teamFor(principal, "teams.update", params.id);
        const body = validateMemberPatch(await readBody(request));
        if (body.role === undefined && body.byok_access === undefined) throw invalidRequest("Nothing to change: send role, byok_access or both.");
        const change = await store.teams.updateMember(team.id, params.member_id ?? "", { role: body.role, byokAccess: body.byok_access });
        if (!change) throw new GatewayError("not_found", `No member '${params.member_id}' in team '${team.id}'.`);
        deps.signals.publish({ kind: "teams" });
        if (change.digest !== null) deps.signals.publish({ kind: "api_keys", digests: [change.digest] });
        return json({ ...memberView(change.member), object: "team_member" });
      }),
    )
    .delete(
      "/v1/teams/:id/members/:member_id",
      guarded(deps, async ({ principal, params }) => {
        const team = await teamFor(principal, "teams.update", params.id);
        const change = await store.teams.removeMember(team.id, params.member_id ?? "");
        if (!change) throw new GatewayError("not_found", `No member '${params.member_id}' in team '${team.id}'.`);
        deps.signals.publish({ kind: "teams" });
        if (change.digest !== null) deps.signals.publish({ kind: "api_keys", digests: [change.digest] });
        return json({ id: change.member.id, object: "team_member", deleted: true, key_id: change.member.apiKeyId });
      }),
    )
    .delete(
      "/v1/teams/:id",
      guarded(deps, async ({ principal, params }) => {
        const team = await teamFor(principal, "teams.delete", params.id);
        const revoked = await store.teams.delete(team.id);
        deps.signals.publish({ kind: "teams" });
        if (revoked.length > 0) deps.signals.publish({ kind: "api_keys", digests: revoked });
        return json({ id: team.id, object: "team", deleted: true });
      }),
    )
    .get(
      "/v1/teams/:id/logs",
      guarded(deps, async ({ principal, params, query }) => {
        const team = await teamFor(principal, "request_logs.read", params.id);
        const limit = limitParam(query);
        await deps.governance.requestLogs.flush();
        const rows = await store.requestLogs.list(team.id, limit);
        return json({
          object: "list",
          data: rows.map((r) => ({
            request_id: r.requestId,
            key_id: r.apiKeyId,
            project_tag: r.projectTag,
            endpoint: r.endpoint,
            provider: r.provider,
            model: r.model,
            status: r.status,
            request: r.request,
            response: r.response,
            created_at: new Date(r.createdAt).toISOString(),
          })),
        });
      }),
    );
}
