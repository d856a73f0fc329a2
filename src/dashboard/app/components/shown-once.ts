// A secret shown once (a new keyway key): a read-only field, a copy button (the clipboard API) and Done, which forgets
// it. The key lives only in the memory of the page that holds it: Done, or leaving the page, drops it.
import { useEffect, useRef, useState } from "preact/hooks";
import { html } from "../html.ts";

export interface ShownOnceProps {
  id: string;
  title: string;
  secret: string;
  onDone: () => void;
}

export function ShownOnce({ id, title, secret, onDone }: ShownOnceProps) {
  const field = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState("");
  useEffect(() => {
    field.current?.focus();
    field.current?.select();
    setStatus("");
  }, [secret]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setStatus("Copied to the clipboard.");
    } catch {
      field.current?.select();
      setStatus("The browser did not allow copying: the key is selected, copy it with Ctrl+C.");
    }
  };
  return html`
    <section class="panel shown-once" aria-labelledby=${`${id}-title`}>
      <h2 id=${`${id}-title`}>${title}</h2>
      <p>Shown this once: keyway keeps only its hash. Copy it now and hand it over safely.</p>
      <div class="field">
        <label for=${id}>New keyway key</label>
        <input id=${id} ref=${field} class="secret" type="text" readonly value=${secret} autocomplete="off" spellcheck=${false} />
      </div>
      <div class="actions">
        <button type="button" onClick=${copy}>Copy key</button>
        <button type="button" class="secondary" onClick=${onDone}>Done</button>
      </div>
      <p class="notice ok" role="status">${status}</p>
    </section>
  `;
}
