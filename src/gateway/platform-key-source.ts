// The `platform` key source: the operator's shared keys from `providers.*.platform_keys`, taken in turn.
// Never offered to a BYOK-only call (X-Use-BYOK / use_byok_only).
import { type KeySourceDriver, NO_REFS } from "../core/key-source.ts";

export function platformKeySource(): KeySourceDriver {
  const turn = new Map<string, number>();
  return {
    source: "platform",
    refs(target, call) {
      const keys = target.provider.settings.platform_keys ?? [];
      if (call.byokOnly || keys.length === 0) return NO_REFS;
      const start = (turn.get(target.provider.name) ?? 0) % keys.length;
      turn.set(target.provider.name, start + 1);
      return keys.map((_, i) => String((start + i) % keys.length));
    },
    async secret(ref, target) {
      const key = target.provider.settings.platform_keys?.[Number(ref)];
      if (key === undefined) throw new Error(`no platform key ${ref} for ${target.provider.name}`);
      return key;
    },
  };
}
