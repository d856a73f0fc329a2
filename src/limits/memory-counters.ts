// Counters in this process's memory: exact for one instance. Atomic because nothing awaits between check and add.
import type { Counters, Reservation } from "./counters.ts";

interface Entry {
  value: number;
  expiresAt: number;
}

export function memoryCounters(): Counters {
  const entries = new Map<string, Entry>();
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
  }, 60_000);
  sweep.unref?.();

  const live = (key: string, ttlMs: number, now: number): Entry => {
    const found = entries.get(key);
    if (found && found.expiresAt > now) return found;
    const fresh = { value: 0, expiresAt: now + ttlMs };
    entries.set(key, fresh);
    return fresh;
  };

  return {
    async reserve(key, amount, limit, ttlMs): Promise<Reservation> {
      const now = Date.now();
      const entry = live(key, ttlMs, now);
      if (entry.value + amount > limit) return { granted: false, value: entry.value, ttlMs: entry.expiresAt - now };
      entry.value += amount;
      return { granted: true, value: entry.value, ttlMs: entry.expiresAt - now };
    },
    async add(key, amount, ttlMs) {
      const entry = live(key, ttlMs, Date.now());
      entry.value += amount;
      return entry.value;
    },
    async get(key) {
      const entry = entries.get(key);
      return entry && entry.expiresAt > Date.now() ? entry.value : 0;
    },
    async close() {
      clearInterval(sweep);
      entries.clear();
    },
  };
}
