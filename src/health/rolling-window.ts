// A fixed-size ring of recent attempt outcomes over a time window: O(1) to record (no allocation), with running
// counts per outcome; percentiles are computed only when asked.
import type { FailureKind } from "../plugins/sdk.ts";

/** Outcome codes: 0 is success, the others a failure kind. */
export const OUTCOMES = ["ok", "server_error", "timeout", "rate_limit", "auth", "bad_request", "model_not_available"] as const;
export type Outcome = (typeof OUTCOMES)[number];

const CODE: Readonly<Record<Outcome, number>> = Object.fromEntries(OUTCOMES.map((o, i) => [o, i])) as Record<Outcome, number>;

export function outcomeCode(ok: boolean, kind: FailureKind | undefined): number {
  return ok ? 0 : CODE[kind ?? "server_error"];
}

export interface WindowStats {
  samples: number;
  counts: Readonly<Record<Outcome, number>>;
  /** Successes over successes plus provider-side failures (server_error, timeout), in percent; null with none. */
  successRate: number | null;
  p50: number | null;
  p95: number | null;
  lastStatus: Partial<Record<Outcome, number | null>>;
  lastAt: number | null;
}

export class RollingWindow {
  private readonly at: Float64Array;
  private readonly latency: Float64Array;
  private readonly outcome: Uint8Array;
  private readonly status: Uint16Array;
  private readonly counts = new Int32Array(OUTCOMES.length);
  private head = 0;
  private size = 0;

  constructor(
    private readonly capacity = 256,
    private readonly windowMs = 300_000,
  ) {
    this.at = new Float64Array(capacity);
    this.latency = new Float64Array(capacity);
    this.outcome = new Uint8Array(capacity);
    this.status = new Uint16Array(capacity);
  }

  /** Records one attempt; `latencyMs` is NaN when the attempt got no answer; `status` 0 when there was none. */
  push(now: number, code: number, latencyMs: number, status: number): void {
    this.expire(now);
    if (this.size === this.capacity) this.dropOldest();
    const slot = (this.head + this.size) % this.capacity;
    this.at[slot] = now;
    this.latency[slot] = latencyMs;
    this.outcome[slot] = code;
    this.status[slot] = status;
    this.counts[code] = (this.counts[code] ?? 0) + 1;
    this.size++;
  }

  /** Successes and provider-side failures in the window (what the success rate is computed from). */
  judged(now: number): { ok: number; failed: number } {
    this.expire(now);
    return { ok: this.counts[0] ?? 0, failed: (this.counts[1] ?? 0) + (this.counts[2] ?? 0) };
  }

  clear(): void {
    this.head = 0;
    this.size = 0;
    this.counts.fill(0);
  }

  stats(now: number): WindowStats {
    this.expire(now);
    const latencies: number[] = [];
    const lastStatus: Partial<Record<Outcome, number | null>> = {};
    let lastAt: number | null = null;
    for (let i = 0; i < this.size; i++) {
      const slot = (this.head + i) % this.capacity;
      const latency = this.latency[slot] as number;
      const code = this.outcome[slot] as number;
      if (code === 0 && !Number.isNaN(latency)) latencies.push(latency);
      if (code !== 0) lastStatus[OUTCOMES[code] as Outcome] = this.status[slot] || null;
      lastAt = this.at[slot] as number;
    }
    latencies.sort((a, b) => a - b);
    const counts = Object.fromEntries(OUTCOMES.map((o, i) => [o, this.counts[i] ?? 0])) as Record<Outcome, number>;
    const ok = counts.ok;
    const failed = counts.server_error + counts.timeout;
    return {
      samples: this.size,
      counts,
      successRate: ok + failed === 0 ? null : (100 * ok) / (ok + failed),
      p50: percentile(latencies, 0.5),
      p95: percentile(latencies, 0.95),
      lastStatus,
      lastAt,
    };
  }

  private expire(now: number): void {
    const oldest = now - this.windowMs;
    while (this.size > 0 && (this.at[this.head] as number) < oldest) this.dropOldest();
  }

  private dropOldest(): void {
    const code = this.outcome[this.head] as number;
    this.counts[code] = (this.counts[code] ?? 1) - 1;
    this.head = (this.head + 1) % this.capacity;
    this.size--;
  }
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}
