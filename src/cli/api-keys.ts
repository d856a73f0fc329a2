// `keyway api-keys create|list|revoke`: manage keyway keys directly in the local database.
import { say } from "./output.ts";
import { createApiKey, viewApiKey } from "../accounts/api-keys.ts";
import { parseAllowlist } from "../accounts/ip-allowlist.ts";
import { loadConfig } from "../config/load.ts";
import { DEFAULT_ACCOUNT_ID } from "../store/repositories/accounts.ts";
import { openConfiguredStore } from "../store/open-configured.ts";
import { parseFlags, UsageError } from "./args.ts";
import { knownNames } from "./known-names.ts";

export const apiKeysHelp = `keyway api-keys create --name NAME [--account ID] [--role admin|developer|viewer] [--ip CIDR,...] [--expires ISO-DATE]
keyway api-keys list [--account ID] [--json]
keyway api-keys revoke ID

Manages keyway keys (kw_...) in the database the config names. A created key is printed once.
All take --config FILE.`;

const ROLES = new Set(["admin", "developer", "viewer"]);

export async function apiKeysCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    config: { type: "string", short: "c" },
    name: { type: "string" },
    account: { type: "string" },
    role: { type: "string" },
    ip: { type: "string" },
    expires: { type: "string" },
    json: { type: "boolean" },
  });
  const [action, id] = positionals;
  if (values.help || action === undefined) {
    say(apiKeysHelp);
    return values.help ? 0 : 1;
  }
  const { config } = loadConfig(values.config, process.env, knownNames);
  const store = await openConfiguredStore(config.storage);
  try {
    await store.accounts.ensureDefault();
    if (action === "create") {
      if (!values.name) throw new UsageError("api-keys create needs --name");
      if (values.role !== undefined && !ROLES.has(values.role)) throw new UsageError("--role takes admin, developer or viewer");
      const accountId = values.account ?? DEFAULT_ACCOUNT_ID;
      if (!(await store.accounts.get(accountId))) throw new UsageError(`no account '${accountId}'`);
      const ipAllowlist = values.ip ? values.ip.split(",").map((s) => s.trim()) : null;
      if (ipAllowlist) parseAllowlist(ipAllowlist, "--ip");
      const expiresAt = values.expires ? Date.parse(values.expires) : null;
      if (expiresAt !== null && Number.isNaN(expiresAt)) throw new UsageError("--expires takes an ISO 8601 date");
      const { key, record } = await createApiKey(store.apiKeys, {
        name: values.name,
        accountId,
        role: values.role as "admin" | "developer" | "viewer" | undefined,
        ipAllowlist,
        expiresAt,
      });
      say(`created ${record.id} (${record.name}, ${record.role}). The key is shown this once:\n${key}`);
      return 0;
    }
    if (action === "list") {
      const rows = (await store.apiKeys.list({ accountId: values.account })).map(viewApiKey);
      if (values.json) say(JSON.stringify(rows, null, 2));
      else for (const r of rows) say(`${r.id}\t${r.prefix}…\t${r.name}\t${r.role}\t${r.account_id}\t${r.revoked_at ? `revoked ${r.revoked_at}` : "active"}`);
      return 0;
    }
    if (action === "revoke") {
      if (!id) throw new UsageError("api-keys revoke needs the key id");
      if (!(await store.apiKeys.revoke(id))) throw new UsageError(`no active key '${id}'`);
      say(`revoked ${id} (running gateways refuse it within a second)`);
      return 0;
    }
    throw new UsageError(`unknown action '${action}'; expected create, list or revoke`);
  } finally {
    store.close();
  }
}
