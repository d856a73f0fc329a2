// Approvals of costly team requests: pending -> approved (by a team admin) -> used (once).
import { and, desc, eq, type SQL } from "drizzle-orm";
import type { Db } from "./database.ts";
import { approvals } from "./schema.ts";
import type { ApprovalQuery, ApprovalRecord, ApprovalsRepo } from "../repositories/approvals.ts";

function listConditions(q: ApprovalQuery): SQL[] {
  const conditions: SQL[] = [eq(approvals.status, q.status)];
  if (q.accountId !== undefined) conditions.push(eq(approvals.accountId, q.accountId));
  if (q.teamId !== undefined) conditions.push(eq(approvals.teamId, q.teamId));
  return conditions;
}

export function approvalsRepo(db: Db): ApprovalsRepo {
  return {
    async create(record: ApprovalRecord): Promise<void> {
      db.insert(approvals).values(record).run();
    },
    async get(id: string): Promise<ApprovalRecord | undefined> {
      return db.select().from(approvals).where(eq(approvals.id, id)).get();
    },
    async list(q: ApprovalQuery): Promise<ApprovalRecord[]> {
      return db.select().from(approvals).where(and(...listConditions(q))).orderBy(desc(approvals.createdAt), desc(approvals.id)).limit(q.limit).all();
    },
    async approve(id: string, by: string, at = Date.now()): Promise<boolean> {
      return (
        db
          .update(approvals)
          .set({ status: "approved", approvedBy: by, decidedAt: at })
          .where(and(eq(approvals.id, id), eq(approvals.status, "pending")))
          .returning({ id: approvals.id })
          .all().length > 0
      );
    },
    /** Marks an approved approval used, once, for the requester it was made for. */
    async consume(id: string, teamId: string, requestedBy: string): Promise<ApprovalRecord | undefined> {
      return db
        .update(approvals)
        .set({ status: "used" })
        .where(and(eq(approvals.id, id), eq(approvals.status, "approved"), eq(approvals.teamId, teamId), eq(approvals.requestedBy, requestedBy)))
        .returning()
        .get();
    },
  };
}

