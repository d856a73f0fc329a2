// Writes the WAL's newest pages to disk in the background, shortly after rows are committed, so that the WAL sync
// SQLite's automatic checkpoint makes (inside a commit, on the event loop) finds little left to write. With
// `synchronous = NORMAL` a commit writes to the OS and never syncs; every 1000 pages the committing connection
// checkpoints: it syncs the WAL (about 4 MB by then, 3-4 ms on a virtual disk), copies its pages into the database
// and syncs that. The WAL sync was the longest pause an answer could meet. Here `fdatasync` runs on the runtime's
// I/O threads at most every `delayMs`, so that sync only covers the last few milliseconds of writes. Durability is
// unchanged: this only writes earlier, off the event loop, what the checkpoint would have written.
import { closeSync, fdatasync, openSync } from "node:fs";

export interface WalFlusher {
  /** Rows were committed: sync the WAL within `delayMs` (one sync for everything written meanwhile). */
  wrote(): void;
  /** Stops; the file is let go once a sync under way has ended. */
  close(): void;
}

export interface WalFlusherOptions {
  /** Wait after a write before syncing (default 10 ms: syncing more often cost CPU at high rates, less often left the checkpoint's pause longer). */
  delayMs?: number;
  /** How the file is synced (node:fs `fdatasync`; tests count the calls). */
  sync?: (fd: number, done: () => void) => void;
}

export function walFlusher(walPath: string, options: WalFlusherOptions = {}): WalFlusher {
  const delayMs = options.delayMs ?? 10;
  const sync = options.sync ?? ((fd, done) => fdatasync(fd, () => done()));
  let fd: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let syncing = false;
  /** Rows came while a sync was under way: another follows it. */
  let again = false;
  let closed = false;

  const release = () => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  };
  const schedule = () => {
    if (timer !== undefined || closed) return;
    timer = setTimeout(run, delayMs);
    timer.unref?.();
  };
  const run = () => {
    timer = undefined;
    if (closed) return;
    if (syncing) {
      again = true;
      return;
    }
    try {
      fd ??= openSync(walPath, "r");
    } catch {
      return; // no WAL file (yet, or any longer): nothing to sync
    }
    syncing = true;
    // A failed sync is not reported here: the kernel reports a write error to every descriptor open on the file
    // (Linux 4.13 and later), so SQLite's own sync of the WAL at the next checkpoint fails with it as it always would.
    sync(fd, () => {
      syncing = false;
      if (closed) return release();
      if (again) {
        again = false;
        schedule();
      }
    });
  };
  return {
    wrote: schedule,
    close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      if (!syncing) release();
    },
  };
}
