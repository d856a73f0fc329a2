// The rotation schedules repository contract: one cron schedule per account and provider, surviving restarts.

export interface RotationSchedule {
  id: string;
  accountId: string;
  provider: string;
  cron: string;
  webhooks: string[];
  lastRunAt: number | null;
  createdAt: number;
}

export interface RotationSchedulesRepo {
  /** Creates or replaces the schedule of an account for a provider (the first id is kept); returns the stored row. */
  upsert(schedule: RotationSchedule): Promise<RotationSchedule>;
  all(): Promise<RotationSchedule[]>;
  markRun(id: string, at: number): Promise<void>;
}
