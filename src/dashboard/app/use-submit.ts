// Sends a form: keeps the page from reloading, marks it busy, clears the last error, runs the action, shows its failure.
import { useState } from "preact/hooks";

export interface Submitting {
  busy: boolean;
  error: Error | undefined;
  submit: (event: Event) => Promise<void>;
}

/**
 * `action` runs at once on submit, so what it clears before its first `await` (a secret field) is cleared before the
 * request leaves. `keepBusy`: after success the button stays disabled, for a form that goes away then.
 */
export function useSubmit(action: () => Promise<void>, { keepBusy = false }: { keepBusy?: boolean } = {}): Submitting {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await action();
      if (!keepBusy) setBusy(false);
    } catch (failure) {
      setError(failure as Error);
      setBusy(false);
    }
  };
  return { busy, error, submit };
}
