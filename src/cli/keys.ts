// `keyway keys add|list|rotate|remove`: stored provider keys, against the local database.
import { say } from "./output.ts";
import { DEFAULT_ACCOUNT_ID } from "../store/repositories/accounts.ts";
import { viewStoredKey } from "../vault/key-view.ts";
import { rotateProviderKey } from "../vault/rotation.ts";
import { parseFlags, UsageError } from "./args.ts";
import { openLocalVault, requireProvider } from "./local-vault.ts";
import { headerValueProblem } from "../providers/upstream-fetch.ts";

export const keysHelp = `keyway keys add --provider NAME [--label L] [--environment E] [--account ID]   (the key is read from stdin)
keyway keys list [--provider NAME] [--account ID] [--json]
keyway keys rotate --provider NAME [--key-id ID] [--gradual --grace-minutes N]   (the new key is read from stdin)
keyway keys remove ID [--account ID]

Stored provider keys, encrypted with the master key, in the database the config names.
Keys are read from standard input so they stay out of shell history. All take --config FILE.`;

async function readSecret(): Promise<string> {
  const text = (await new Response(Bun.stdin.stream()).text()).trim();
  if (text === "") throw new UsageError("no key on standard input (pipe it in: printf %s \"$KEY\" | keyway keys add ...)");
  const problem = headerValueProblem(text);
  if (problem) throw new UsageError(`the key on standard input cannot be sent to a provider: ${problem}`);
  return text;
}

export async function keysCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    config: { type: "string", short: "c" },
    provider: { type: "string" },
    label: { type: "string" },
    environment: { type: "string" },
    account: { type: "string" },
    "key-id": { type: "string" },
    gradual: { type: "boolean" },
    "grace-minutes": { type: "string" },
    json: { type: "boolean" },
  });
  const [action, id] = positionals;
  if (values.help || action === undefined) {
    say(keysHelp);
    return values.help ? 0 : 1;
  }
  if (!["add", "list", "rotate", "remove"].includes(action)) throw new UsageError(`unknown action '${action}'; expected add, list, rotate or remove`);
  const local = await openLocalVault(values.config);
  const accountId = values.account ?? DEFAULT_ACCOUNT_ID;
  const actor = { id: "cli", accountId };
  try {
    if (!(await local.store.accounts.get(accountId))) throw new UsageError(`no account '${accountId}'`);
    if (action === "add") {
      const provider = requireProvider(local.providers, values.provider);
      const [record] = await local.vault.vault.add(actor, [{ provider, apiKey: await readSecret(), label: values.label, environment: values.environment }]);
      say(`stored ${record?.id} for ${provider} (...${record?.hint})`);
    } else if (action === "list") {
      const rows = (await local.store.providerKeys.list(accountId, values.provider)).map((r) => viewStoredKey(r));
      if (values.json) say(JSON.stringify(rows, null, 2));
      else for (const r of rows) say(`${r.id}\t${r.provider}\t${r.hint}\t${r.status}\t${r.label ?? ""}\t${r.age_days}d${r.rotation_due ? "\trotation due" : ""}`);
    } else if (action === "rotate") {
      const provider = requireProvider(local.providers, values.provider);
      const grace = Number(values["grace-minutes"] ?? 60);
      if (!Number.isFinite(grace) || grace < 0) throw new UsageError("--grace-minutes takes a number of minutes");
      const result = await rotateProviderKey(local.vault.rotation, actor, {
        provider,
        keyId: values["key-id"],
        newApiKey: await readSecret(),
        strategy: values.gradual ? "gradual" : "immediate",
        gracePeriodMinutes: grace,
        testBeforeSwitch: false,
        webhooks: [],
      });
      say(`${result.status}: ${result.old_key_id} -> ${result.new_key_id}; the old key expires ${result.old_key_expires_at}`);
    } else {
      if (!id) throw new UsageError("keys remove needs the key id");
      const record = await local.store.providerKeys.get(id);
      if (!record || record.accountId !== accountId) throw new UsageError(`no stored key '${id}' in account ${accountId}`);
      await local.vault.vault.remove(actor, record);
      say(`removed ${id}`);
    }
    return 0;
  } finally {
    await local.close();
  }
}
