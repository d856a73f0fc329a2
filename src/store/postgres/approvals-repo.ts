// Approvals of costly team requests on Postgres: pending -> approved (by a team admin) -> used (once). Each step is
// one conditional UPDATE, so two gateways can never both approve or both use one approval.
import type { SQL } from "bun";
import { and, desc, eq, type SQL as Condition } from "drizzle-orm";
import type { ApprovalQuery, ApprovalRecord, ApprovalsRepo } from "../repositories/approvals.ts";
import type { PgDb } from "./database.ts";
import { approvals } from "./schema.ts";

function listConditions(q: ApprovalQuery): Condition[] {
  const conditions: Condition[] = [eq(approvals.status, q.status)];
  if (q.accountId !== undefined) conditions.push(eq(approvals.accountId, q.accountId));
  if (q.teamId !== undefined) conditions.push(eq(approvals.teamId, q.teamId));
  return conditions;
}

export function approvalsRepo(db: PgDb, _sql: SQL): ApprovalsRepo {
  return {
    async create(record: ApprovalRecord): Promise<void> {
      await db.insert(approvals).values(record);
    },
    async get(id: string): Promise<ApprovalRecord | undefined> {
      const [row] = await db.select().from(approvals).where(eq(approvals.id, id));
      return row;
    },
    async list(q: ApprovalQuery): Promise<ApprovalRecord[]> {
      return db.select().from(approvals).where(and(...listConditions(q))).orderBy(desc(approvals.createdAt), desc(approvals.id)).limit(q.limit);
    },
    async approve(id: string, by: string, at = Date.now()): Promise<boolean> {
      const rows = await db
        .update(approvals)
        .set({ status: "approved", approvedBy: by, decidedAt: at })
        .where(and(eq(approvals.id, id), eq(approvals.status, "pending")))
        .returning({ id: approvals.id });
      return rows.length > 0;
    },
    /** Marks an approved approval used, once, for the requester it was made for. */
    async consume(id: string, teamId: string, requestedBy: string): Promise<ApprovalRecord | undefined> {
      const [row] = await db
        .update(approvals)
        .set({ status: "used" })
        .where(and(eq(approvals.id, id), eq(approvals.status, "approved"), eq(approvals.teamId, teamId), eq(approvals.requestedBy, requestedBy)))
        .returning();
      return row;
    },
  };
}
