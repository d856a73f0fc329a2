// Background probes of disabled providers: the adapter's checkKey with one of the provider's platform keys,
// every check_interval. A provider with no platform key or no checkKey is retried by a real request instead.
import type { ConfiguredProvider, ProviderSet } from "../core/provider-set.ts";
import { checkProviderKey } from "../vault/key-check.ts";
import type { HealthMonitor } from "./monitor.ts";

const PROBE_TIMEOUT_MS = 10_000;

/** Whether keyway can probe the provider itself (else a disabled provider is half-opened for one real request). */
export function canProbe(provider: ConfiguredProvider | undefined): boolean {
  return provider?.adapter.checkKey !== undefined && (provider.settings.platform_keys?.length ?? 0) > 0;
}

export interface Prober {
  /** Probes every disabled provider that is due; resolves when all have answered. */
  probeDue(): Promise<void>;
  stop(): void;
}

export function startProbes(monitor: HealthMonitor, providers: ProviderSet, tickMs = 1_000): Prober {
  const probing = new Set<string>();
  const turn = new Map<string, number>();

  async function probe(name: string): Promise<void> {
    const provider = providers.get(name);
    const record = monitor.disabled(name);
    if (!record || !provider || !canProbe(provider) || probing.has(name)) return;
    probing.add(name);
    try {
      const keys = provider.settings.platform_keys ?? [];
      const index = (turn.get(name) ?? 0) % keys.length;
      turn.set(name, index + 1);
      const check = await checkProviderKey(provider, keys[index] as string, Math.min(provider.timeoutMs, PROBE_TIMEOUT_MS));
      if (check.ok) monitor.probed(record, true, "the provider answered");
      else if ("failure" in check) {
        // An answer that blames the key or the request still shows the provider is up; 5xx, timeouts, redirects and
        // a key keyway would not send (no answer at all) do not.
        const up = check.failure.unsent !== true && check.failure.kind !== "server_error" && check.failure.kind !== "timeout";
        monitor.probed(record, up, `${check.failure.kind}: ${check.failure.message}`);
      }
    } finally {
      probing.delete(name);
    }
  }

  const probeDue = async () => {
    await Promise.all(monitor.due().map((record) => probe(record.name)));
  };
  const timer = setInterval(() => void probeDue(), tickMs);
  (timer as { unref?: () => void }).unref?.();
  return { probeDue, stop: () => clearInterval(timer) };
}
