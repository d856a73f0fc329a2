// Opens the local database, providers and vault for CLI commands that work without a running gateway.
import { loadConfig } from "../config/load.ts";
import { bindProviders } from "../gateway/providers.ts";
import type { ProviderAdapter } from "../plugins/sdk.ts";
import { builtInAdapters } from "../providers/builtin.ts";
import { openConfiguredStore } from "../store/open-configured.ts";
import { createLogger } from "../telemetry/logger.ts";
import { openVault } from "../vault/open-vault.ts";
import { UsageError } from "./args.ts";
import { knownNames } from "./known-names.ts";

export async function openLocalVault(configPath: string | undefined) {
  const { config } = loadConfig(configPath, process.env, knownNames);
  const logger = createLogger("warn", (line) => process.stderr.write(`${line}\n`));
  const providers = bindProviders(
    Object.fromEntries(Object.entries(config.providers).filter(([, p]) => builtInAdapters.has(p.adapter))),
    (s) => builtInAdapters.get(s.adapter) as ProviderAdapter,
    [...builtInAdapters.values()],
  );
  const store = await openConfiguredStore(config.storage);
  await store.accounts.ensureDefault();
  try {
    const vault = await openVault(
      store,
      providers,
      {
        masterKeyFile: config.security.master_key_file,
        webhookSecret: config.security.webhook_secret,
        webhookAllowPrivateNetworks: config.security.webhook_allow_private_networks,
        env: process.env,
      },
      logger,
    );
    return {
      config,
      store,
      providers,
      vault,
      logger,
      async close() {
        await vault.audit.close();
        store.close();
      },
    };
  } catch (error) {
    store.close();
    throw error;
  }
}

export function requireProvider(providers: { get(name: string): unknown }, name: string | undefined): string {
  if (!name) throw new UsageError("--provider is required");
  if (!providers.get(name)) throw new UsageError(`unknown provider '${name}'`);
  return name;
}
