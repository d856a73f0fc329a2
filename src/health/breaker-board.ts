// The board on which replicas share their circuit breakers: a provider disabled (or re-enabled) by one replica's
// monitor is published here and applied by every other replica's monitor. One contract, two drivers: this memory
// driver (boards of one hub see each other in-process; a lone gateway's board changes nothing) and Redis.
export interface BreakerState {
  open: boolean;
  /** When the breaker changed (epoch ms); the later change wins. */
  at: number;
  /** Why it was disabled (while open). */
  reason?: string;
  /** When the next probe or trial request is due (while open). */
  nextCheckAt?: number;
  /** The replica that made the change (a board ignores its own). */
  by: string;
}

export type BreakerListener = (provider: string, state: BreakerState) => void;

export interface BreakerBoard {
  /** This replica's name on the board. */
  readonly replica: string;
  /** Tells the other replicas; never rejects (a board that cannot reach its store logs and keeps going). */
  publish(provider: string, state: BreakerState): Promise<void>;
  /** Every change another replica publishes (and, once, the states already on the board) reaches `listener`. */
  watch(listener: BreakerListener): void;
  close(): Promise<void>;
}

/** Whether `incoming` should replace `current`: a later change, or the same instant decided by replica name. */
export function supersedes(incoming: BreakerState, current: BreakerState | undefined): boolean {
  if (!current) return true;
  if (incoming.at !== current.at) return incoming.at > current.at;
  return incoming.by > current.by;
}

/** In-process boards that see each other: the memory driver. */
export function memoryBreakerHub() {
  const states = new Map<string, BreakerState>();
  const boards = new Set<{ replica: string; listeners: BreakerListener[] }>();
  return {
    board(replica: string = crypto.randomUUID()): BreakerBoard {
      const self = { replica, listeners: [] as BreakerListener[] };
      boards.add(self);
      return {
        replica,
        async publish(provider, state) {
          if (!supersedes(state, states.get(provider))) return;
          states.set(provider, state);
          for (const other of boards) {
            if (other === self) continue;
            for (const listener of other.listeners) queueMicrotask(() => listener(provider, state));
          }
        },
        watch(listener) {
          self.listeners.push(listener);
          for (const [provider, state] of states) if (state.by !== replica) queueMicrotask(() => listener(provider, state));
        },
        async close() {
          boards.delete(self);
        },
      };
    },
  };
}

/** A lone gateway's board: today's single-process behaviour. */
export function memoryBreakerBoard(): BreakerBoard {
  return memoryBreakerHub().board();
}
