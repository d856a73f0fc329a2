// Accounts (tenants) and their credits: the operator creates them and adds credits; an account's admin reads its own.
import { Elysia } from "elysia";
import { createApiKey } from "../../accounts/api-keys.ts";
import { authorize } from "../../accounts/permissions.ts";
import { GatewayError, invalidRequest } from "../../core/errors.ts";
import type { Account } from "../../store/repositories/accounts.ts";
import { exactMicros, microsToUsd } from "../../usage/money.ts";
import { bodyValidator, readJsonBody } from "../body.ts";
import type { AppDeps } from "../context.ts";
import { guarded, json } from "../guard.ts";
import { AddCreditsBody, CreateAccountBody } from "../schemas.ts";

const validateCreate = bodyValidator(CreateAccountBody);
const validateCredits = bodyValidator(AddCreditsBody);

/** A USD amount of the body as micro-USD; an amount finer than a micro-USD is refused, never rounded. */
function creditMicros(usd: number, field: "credits" | "amount"): number {
  const micros = exactMicros(usd);
  if (micros === undefined) throw invalidRequest(`'${field}' is ${usd} USD, finer than a micro-USD; write at most six decimals.`, field);
  return micros;
}

const view = (account: Account) => ({ id: account.id, object: "account", name: account.name, credits: microsToUsd(account.creditsMicros), created_at: new Date(account.createdAt).toISOString() });

export function accountRoutes(deps: AppDeps) {
  const readBody = (request: Request) => readJsonBody(request, deps.config.server.max_body_bytes);
  return new Elysia({ name: "accounts" })
    .post(
      "/v1/accounts",
      guarded(deps, async ({ principal, request }) => {
        authorize(principal, "accounts.create");
        const body = validateCreate(await readBody(request));
        const account = await deps.store.accounts.create(body.name, creditMicros(body.credits ?? 0, "credits"));
        const { key } = await createApiKey(deps.store.apiKeys, { name: `${body.name} admin`, accountId: account.id, role: "admin" });
        return json({ ...view(account), key }, 201);
      }),
    )
    .get(
      "/v1/accounts/:id",
      guarded(deps, async ({ principal, params }) => {
        const id = params.id ?? "";
        authorize(principal, "accounts.read", { kind: "account", id, accountId: id });
        const account = await deps.store.accounts.get(id);
        if (!account) throw new GatewayError("not_found", `No account '${id}'.`);
        return json(view(account));
      }),
    )
    .post(
      "/v1/accounts/:id/credits",
      guarded(deps, async ({ principal, params, request }) => {
        authorize(principal, "credits.add");
        const body = validateCredits(await readBody(request));
        const balance = await deps.store.accounts.adjustCredits(params.id ?? "", creditMicros(body.amount, "amount"));
        if (balance === undefined) throw new GatewayError("not_found", `No account '${params.id}'.`);
        return json({ id: params.id, object: "account", credits: microsToUsd(balance) });
      }),
    );
}
