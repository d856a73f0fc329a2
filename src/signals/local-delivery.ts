// Hands a signal to this process's subscribers; one failing subscriber never stops the others.
import type { Signal, SignalHandler } from "./signal.ts";

export function localDelivery(onError: (error: unknown) => void) {
  const handlers = new Set<SignalHandler>();
  return {
    deliver(signal: Signal): void {
      for (const handler of handlers) {
        try {
          handler(signal);
        } catch (error) {
          onError(error);
        }
      }
    },
    subscribe(handler: SignalHandler): () => void {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    clear(): void {
      handlers.clear();
    },
  };
}
