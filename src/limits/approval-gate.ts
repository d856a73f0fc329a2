// Approvals for costly team requests: the first request gets approval_required with an approval id; once a
// team admin approves it, the client repeats the request with X-Approval-Id and it passes, once.
import { GatewayError } from "../core/errors.ts";
import type { Store } from "../store/store.ts";
import { newId } from "../store/ids.ts";
import type { Candidate } from "../plugins/sdk.ts";
import { microsToUsd } from "../usage/money.ts";

export interface ApprovalCheck {
  candidate: Candidate;
  accountId: string;
  keyId: string;
  teamId: string;
  approvalId?: string;
  estimateMicros: number;
  threshold: number;
}

export async function checkApproval(store: Store, check: ApprovalCheck): Promise<void> {
  if (check.approvalId !== undefined) {
    const used = await store.approvals.consume(check.approvalId, check.teamId, check.keyId);
    if (used) return;
    const found = await store.approvals.get(check.approvalId);
    const why = !found || found.teamId !== check.teamId || found.requestedBy !== check.keyId ? "is not one of yours" : found.status === "pending" ? "is still waiting for a team admin" : "was already used";
    throw new GatewayError("approval_required", `Approval ${check.approvalId} ${why}.`, { extra: { approval_id: check.approvalId } });
  }
  const id = newId("apr");
  await store.approvals.create({
    id,
    teamId: check.teamId,
    accountId: check.accountId,
    requestedBy: check.keyId,
    provider: check.candidate.provider,
    model: check.candidate.model,
    estimatedCostMicros: check.estimateMicros,
    status: "pending",
    approvedBy: null,
    createdAt: Date.now(),
    decidedAt: null,
  });
  throw new GatewayError(
    "approval_required",
    `This request is estimated at $${microsToUsd(check.estimateMicros).toFixed(4)}, above the team's approval threshold of $${check.threshold}. Ask a team admin to approve ${id} (POST /v1/approvals/${id}), then repeat the request with the header X-Approval-Id: ${id}.`,
    { extra: { approval_id: id } },
  );
}
