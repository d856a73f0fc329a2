// The usage repository contract: one row per call, written in batches off the response path, pruned by age (rollups kept), read for analytics.
import type { UsageDimension, UsageGroup, UsageSlice } from "./usage-rollups.ts";

export interface StoredUsage {
  id: number;
  requestId: string;
  accountId: string;
  apiKeyId: string;
  teamId: string | null;
  projectTag: string | null;
  endpoint: string;
  provider: string | null;
  model: string | null;
  keySource: string | null;
  byok: boolean;
  status: number;
  inputTokens: number;
  outputTokens: number;
  /** The upstream sent no usage (a stream cut short): the tokens are estimated. */
  usageEstimated: boolean;
  /** What the account was charged, micro-USD; 0 when a BYOK key paid. */
  costMicros: number;
  /** The provider's list price for the call, micro-USD, whoever paid. */
  estimatedCostMicros: number;
  /** Input tokens read from the provider's prompt cache (counted in inputTokens too). */
  cacheReadTokens: number;
  /** Input tokens written to the provider's prompt cache (counted in inputTokens too). */
  cacheWriteTokens: number;
  /** Reasoning (thinking) tokens (counted in outputTokens too). */
  reasoningTokens: number;
  attempts: number;
  latencyMs: number;
  createdAt: number;
}

/** A row to write: the id is assigned by the store; nullable fields and those with a default (0, false) may be left out. */
export type UsageRecord = Pick<
  StoredUsage,
  "requestId" | "accountId" | "apiKeyId" | "endpoint" | "byok" | "status" | "attempts" | "latencyMs" | "createdAt"
> &
  Partial<
    Pick<
      StoredUsage,
      | "id" | "teamId" | "projectTag" | "provider" | "model" | "keySource" | "inputTokens" | "outputTokens" | "usageEstimated"
      | "costMicros" | "estimatedCostMicros" | "cacheReadTokens" | "cacheWriteTokens" | "reasoningTokens"
    >
  >;

/** Which raw rows an export reads: those created in [from, to), optionally of one account, team, keyway key or key sources. */
export interface UsagePageFilter {
  from: number;
  to: number;
  accountId?: string;
  teamId?: string;
  apiKeyId?: string;
  /** Only rows whose key source is one of these. */
  keySources?: readonly string[];
}

/** Where a page ends: the (createdAt, id) of its last row; the next page starts after it. */
export interface UsageCursor {
  createdAt: number;
  id: number;
}

export interface UsageRepo {
  /** Writes the rows and adds them to their hourly rollups (./usage-rollups.ts), in one transaction. */
  insertMany(rows: UsageRecord[]): Promise<void>;
  /** An account's latest rows, newest first. */
  recent(accountId: string, limit?: number): Promise<StoredUsage[]>;
  /** Deletes at most `limit` rows created before `cutoffMs` (one transaction; rollups are kept); returns how many. */
  pruneBefore(cutoffMs: number, limit: number): Promise<number>;
  /**
   * Keyset paging for exports: at most `limit` rows matching the filter, in (createdAt, id) order, after `after`
   * (from the start when undefined). Each page is one indexed range read, however deep the export is.
   */
  pageForExport(filter: UsagePageFilter, after: UsageCursor | undefined, limit: number): Promise<StoredUsage[]>;
  /**
   * Raw rows created in [from, to) within the slice (and of one keyway key when `apiKeyId` is given), summed per
   * distinct value of the `groupBy` dimensions by the database, as the rollups' `grouped` sums them: analytics
   * reads hours partly inside a period, and a developer key's own usage, from here.
   */
  aggregate(from: number, to: number, slice: UsageSlice & { apiKeyId?: string }, groupBy: readonly UsageDimension[]): Promise<UsageGroup[]>;
}
