// The approvals repository contract: costly team requests go pending -> approved (by a team admin) -> used (once).

export type ApprovalStatus = "pending" | "approved" | "used";

export interface ApprovalRecord {
  id: string;
  teamId: string;
  accountId: string;
  requestedBy: string;
  provider: string;
  model: string;
  estimatedCostMicros: number;
  status: ApprovalStatus;
  approvedBy: string | null;
  createdAt: number;
  decidedAt: number | null;
}

/** Which approvals to list: of one account (and team) or of all, in one status, newest first, at most `limit`. */
export interface ApprovalQuery {
  accountId?: string;
  teamId?: string;
  status: ApprovalStatus;
  limit: number;
}

export interface ApprovalsRepo {
  create(record: ApprovalRecord): Promise<void>;
  get(id: string): Promise<ApprovalRecord | undefined>;
  /** Approvals matching the query, newest first. */
  list(q: ApprovalQuery): Promise<ApprovalRecord[]>;
  /** Approves a pending approval; false when it is not pending (or does not exist). */
  approve(id: string, by: string, at?: number): Promise<boolean>;
  /** Marks an approved approval used, once, for the requester it was made for. */
  consume(id: string, teamId: string, requestedBy: string): Promise<ApprovalRecord | undefined>;
}
