// The request logs repository contract: request and response bodies of teams with log_all_requests, already redacted.

export interface StoredRequestLog {
  id: number;
  teamId: string;
  requestId: string;
  apiKeyId: string;
  projectTag: string | null;
  endpoint: string;
  provider: string | null;
  model: string | null;
  status: number;
  request: unknown;
  response: unknown;
  createdAt: number;
}

/** A log to write: the id is assigned by the store, nullable fields may be left out. */
export type RequestLog = Pick<StoredRequestLog, "teamId" | "requestId" | "apiKeyId" | "endpoint" | "status" | "createdAt"> &
  Partial<Pick<StoredRequestLog, "id" | "projectTag" | "provider" | "model" | "request" | "response">>;

export interface RequestLogsRepo {
  insertMany(rows: RequestLog[]): Promise<void>;
  /** A team's logs, newest first. */
  list(teamId: string, limit: number): Promise<StoredRequestLog[]>;
}
