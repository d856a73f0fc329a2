// Stored provider keys over HTTP: add several at once, list providers with their keys, remove, rotate, schedule.
import { Elysia } from "elysia";
import { GatewayError, invalidRequest } from "../../core/errors.ts";
import { belongsElsewhere } from "../../gateway/key-sources.ts";
import { headerValueProblem } from "../../providers/upstream-fetch.ts";
import type { Principal } from "../../core/principal.ts";
import { viewStoredKey } from "../../vault/key-view.ts";
import { GENERAL_KEY_SETTINGS } from "../../vault/vault.ts";
import { parseCron } from "../../vault/rotation-scheduler.ts";
import { rotateProviderKey } from "../../vault/rotation.ts";
import { checkWebhookUrls } from "../../notify/webhooks.ts";
import { newId } from "../../store/ids.ts";
import { bodyValidator, readJsonBody } from "../body.ts";
import type { AppDeps } from "../context.ts";
import { authorize, targetAccount } from "../../accounts/permissions.ts";
import { guarded, json } from "../guard.ts";
import { RotateKeyBody, RotationScheduleBody, StoreKeysBody } from "../schemas.ts";

const validateStore = bodyValidator(StoreKeysBody);
const validateRotate = bodyValidator(RotateKeyBody);
const validateSchedule = bodyValidator(RotationScheduleBody);

/** Settings beyond the general ones must be the provider's own (its adapter's `keySettings`): a typo is refused. */
function refuseUnknownSettings(settings: Record<string, unknown> | undefined, own: readonly string[] | undefined, param: string, provider: string): void {
  for (const name of Object.keys(settings ?? {})) {
    if ((GENERAL_KEY_SETTINGS as readonly string[]).includes(name) || own?.includes(name)) continue;
    const known = [...GENERAL_KEY_SETTINGS, ...(own ?? [])].join(", ");
    throw invalidRequest(`'${name}' is not a setting of ${provider} keys; known: ${known}.`, `${param}.${name}`);
  }
}

/** A key that could never travel in a header is refused when stored (never quoted), not at every later call. */
function refuseUnsendable(apiKey: string, param: string): void {
  const problem = headerValueProblem(apiKey);
  if (problem) throw invalidRequest(`This key cannot be sent to a provider: ${problem}.`, param);
}

export function providerKeyRoutes(deps: AppDeps) {
  const { vault } = deps;
  const actorOf = (principal: Principal, accountId: string) => ({ id: principal.keyId, accountId, teamId: principal.teamId });
  const readBody = (request: Request) => readJsonBody(request, deps.config.server.max_body_bytes);

  return new Elysia({ name: "provider-keys" })
    .post(
      "/v1/providers/keys",
      guarded(deps, async ({ principal, request }) => {
        authorize(principal, "provider_keys.store");
        const body = validateStore(await readBody(request));
        const accountId = targetAccount(principal, body.account_id);
        const inputs = body.providers.map((entry, index) => {
          const provider = deps.providers.get(entry.name);
          if (!provider) throw invalidRequest(`Unknown provider '${entry.name}'. Configured: ${deps.providers.all().map((p) => p.name).join(", ")}.`, `providers[${index}].name`);
          refuseUnsendable(entry.api_key, `providers[${index}].api_key`);
          refuseUnknownSettings(entry.settings, provider.adapter.keySettings, `providers[${index}].settings`, entry.name);
          const owner = belongsElsewhere(entry.api_key, provider.adapter, deps.providers.adapters());
          if (owner) throw new GatewayError("provider_mismatch", `The key for '${entry.name}' looks like a ${owner.name} key.`, { param: `providers[${index}].api_key` });
          return {
            provider: entry.name,
            apiKey: entry.api_key,
            label: entry.label,
            environment: entry.environment,
            organizationId: entry.organization_id,
            settings: entry.settings,
            rotationDays: body.encryption?.rotation_days,
            teamId: principal.teamId,
          };
        });
        const records = await vault.vault.add(actorOf(principal, accountId), inputs);
        deps.signals.publish({ kind: "stored_keys" });
        return json({ providers: records.map((r) => viewStoredKey(r)), encryption: { method: "AES-256-GCM", key_id: vault.cipher.kid } }, 201);
      }),
    )
    .get(
      "/v1/providers",
      guarded(deps, async ({ principal, query }) => {
        authorize(principal, "provider_keys.list");
        const accountId = targetAccount(principal, query.get("account_id") ?? undefined);
        const schedules = (await deps.store.rotationSchedules.all()).filter((s) => s.accountId === accountId);
        // Team keys read their team's keys and the account-wide ones; other teams' keys stay out of sight.
        const records = (await deps.store.providerKeys.list(accountId)).filter((r) => r.teamId === null || principal.teamId === null || r.teamId === principal.teamId);
        const providers = deps.providers.all().map((provider) => {
          const schedule = schedules.find((s) => s.provider === provider.name);
          const keys = records.filter((r) => r.provider === provider.name).map((r) => viewStoredKey(r, schedule));
          const grouped = Object.values(deps.config.model_groups).flatMap((group) => (group[provider.name] ? [group[provider.name] as string] : []));
          return {
            name: provider.name,
            adapter: provider.adapter.name,
            status: keys.some((k) => k.status === "active") ? "active" : "no_keys",
            available_models: [...new Set([...(provider.settings.models ?? []).map((m) => m.id), ...grouped])],
            rotation_schedule: schedule ? { schedule: schedule.cron, last_run_at: schedule.lastRunAt ? new Date(schedule.lastRunAt).toISOString() : null } : null,
            keys,
          };
        });
        return json({ providers });
      }),
    )
    .delete(
      "/v1/providers/keys/:id",
      guarded(deps, async ({ principal, params, query }) => {
        authorize(principal, "provider_keys.remove");
        const accountId = targetAccount(principal, query.get("account_id") ?? undefined);
        const record = await deps.store.providerKeys.get(params.id ?? "");
        if (!record || record.accountId !== accountId) throw new GatewayError("not_found", `No stored key '${params.id}' in this account.`);
        authorize(principal, "provider_keys.remove", { kind: "stored key", id: record.id, accountId: record.accountId, teamId: record.teamId });
        await vault.vault.remove(actorOf(principal, accountId), record);
        deps.signals.publish({ kind: "stored_keys" });
        return json({ id: record.id, object: "provider_key", deleted: true });
      }),
    )
    .post(
      "/v1/providers/keys/rotate",
      guarded(deps, async ({ principal, request }) => {
        authorize(principal, "provider_keys.rotate");
        const body = validateRotate(await readBody(request));
        const accountId = targetAccount(principal, body.account_id);
        refuseUnsendable(body.new_api_key, "new_api_key");
        const result = await rotateProviderKey(vault.rotation, actorOf(principal, accountId), {
          provider: body.provider,
          keyId: body.key_id,
          newApiKey: body.new_api_key,
          strategy: body.rotation_strategy ?? "immediate",
          gracePeriodMinutes: body.grace_period_minutes ?? 60,
          testBeforeSwitch: body.test_before_switch ?? false,
          webhooks: checkWebhookUrls(body.notification_webhooks),
        });
        deps.signals.publish({ kind: "stored_keys" });
        return json(result);
      }),
    )
    .post(
      "/v1/providers/keys/rotation-schedule",
      guarded(deps, async ({ principal, request }) => {
        authorize(principal, "provider_keys.schedule");
        const body = validateSchedule(await readBody(request));
        if (body.notification_email !== undefined) {
          throw invalidRequest("keyway does not send email; use 'notification_webhooks' (signed POSTs).", "notification_email");
        }
        const accountId = targetAccount(principal, body.account_id);
        if (!deps.providers.get(body.provider)) throw invalidRequest(`Unknown provider '${body.provider}'.`, "provider");
        let next: Date | null;
        try {
          next = parseCron(body.schedule).nextRun();
        } catch (error) {
          throw invalidRequest(`'${body.schedule}' is not a cron expression: ${error instanceof Error ? error.message : String(error)}`, "schedule");
        }
        const webhooks = await vault.webhooks.accept(body.notification_webhooks);
        const saved = await deps.store.rotationSchedules.upsert({
          id: newId("rs"),
          accountId,
          provider: body.provider,
          cron: body.schedule,
          webhooks,
          lastRunAt: null,
          createdAt: Date.now(),
        });
        deps.jobs.arm(saved);
        await vault.audit.record({ accountId, actor: principal.keyId, action: "key.schedule", provider: body.provider, outcome: "success", detail: { schedule: body.schedule } });
        return json({ id: saved.id, provider: saved.provider, schedule: saved.cron, notification_webhooks: saved.webhooks, next_run_at: next?.toISOString() ?? null }, 201);
      }),
    );
}
