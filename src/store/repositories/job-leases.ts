// The job leases repository contract: which gateway instance may run a scheduled job right now. A lease is taken
// when free or expired, kept by renewing it before it expires, and given back on a clean stop; a holder that dies
// stops renewing, so its lease expires and another instance takes it.

export interface JobLease {
  /** The scheduled job ("rotation.schedules", "usage.retention", ...). */
  job: string;
  /** The gateway instance id (its gateway lease) that holds the job. */
  holder: string;
  acquiredAt: number;
  /** Epoch ms; from then on any instance may take the lease. */
  expiresAt: number;
}

export interface JobLeasesRepo {
  /**
   * Takes the job's lease for `ttlMs` when nobody holds it, its lease has expired, or `holder` already holds it
   * (then it is extended). One atomic statement: of instances racing for a free lease exactly one gets true.
   */
  acquire(job: string, holder: string, ttlMs: number, now?: number): Promise<boolean>;
  /** Extends the lease by `ttlMs` from now when `holder` still holds it; false when another instance took it. */
  renew(job: string, holder: string, ttlMs: number, now?: number): Promise<boolean>;
  /** Gives the lease back when `holder` holds it (another instance may take it at once); otherwise does nothing. */
  release(job: string, holder: string): Promise<void>;
  get(job: string): Promise<JobLease | undefined>;
}
