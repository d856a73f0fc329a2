// What clients may see of a stored key: never the key, only a hint of its last 4 characters.
import type { ProviderKeyRecord } from "../store/repositories/provider-keys.ts";
import type { RotationSchedule } from "../store/repositories/rotation-schedules.ts";

const DAY_MS = 86_400_000;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export interface StoredKeyView {
  id: string;
  provider: string;
  label: string | null;
  hint: string;
  environment: string | null;
  status: string;
  created_at: string;
  age_days: number;
  retire_at: string | null;
  rotation_days: number | null;
  /** Older than its rotation_days, or flagged by a rotation schedule run since it was created. */
  rotation_due: boolean;
  settings: Record<string, unknown> | null;
}

export function viewStoredKey(record: ProviderKeyRecord, schedule?: RotationSchedule, now = Date.now()): StoredKeyView {
  const ageDays = Math.floor((now - record.createdAt) / DAY_MS);
  // A retiring key past its grace period is never used again, whether or not the sweeper has run yet.
  const status = record.status === "retiring" && record.retireAt !== null && record.retireAt <= now ? "retired" : record.status;
  const tooOld = record.rotationDays !== null && ageDays >= record.rotationDays;
  const flagged = schedule?.lastRunAt != null && schedule.lastRunAt > record.createdAt;
  return {
    id: record.id,
    provider: record.provider,
    label: record.label,
    hint: `...${record.hint}`,
    environment: record.environment,
    status,
    created_at: iso(record.createdAt) as string,
    age_days: ageDays,
    retire_at: iso(record.retireAt),
    rotation_days: record.rotationDays,
    rotation_due: status !== "retired" && (tooOld || flagged),
    settings: record.settings,
  };
}
