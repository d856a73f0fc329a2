// Form controls, each with its visible label (and an optional hint tied to it by aria-describedby).
import { html } from "../html.ts";

interface Common {
  id: string;
  label: string;
  hint?: string;
  required?: boolean;
}

export interface InputProps extends Common {
  value: string;
  onInput: (value: string) => void;
  type?: "text" | "password" | "number" | "email" | "datetime-local" | "date";
  autocomplete?: string;
  min?: number;
  /** For numbers: "any" allows decimals (the browser's default step is 1). */
  step?: number | "any";
}

export function TextField({ id, label, hint, required, value, onInput, type = "text", autocomplete, min, step }: InputProps) {
  return html`
    <div class="field">
      <label for=${id}>${label}</label>
      <input
        id=${id}
        name=${id}
        type=${type}
        value=${value}
        required=${required}
        min=${min}
        step=${step}
        autocomplete=${autocomplete ?? "off"}
        spellcheck=${false}
        aria-describedby=${hint ? `${id}-hint` : undefined}
        onInput=${(e: Event) => onInput((e.currentTarget as HTMLInputElement).value)}
      />
      ${hint ? html`<small id=${`${id}-hint`}>${hint}</small>` : null}
    </div>
  `;
}

export interface SelectProps extends Common {
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
}

export function SelectField({ id, label, hint, required, value, onChange, options }: SelectProps) {
  return html`
    <div class="field">
      <label for=${id}>${label}</label>
      <select id=${id} name=${id} required=${required} aria-describedby=${hint ? `${id}-hint` : undefined} onChange=${(e: Event) => onChange((e.currentTarget as HTMLSelectElement).value)}>
        ${options.map((o) => html`<option value=${o.value} selected=${o.value === value}>${o.label}</option>`)}
      </select>
      ${hint ? html`<small id=${`${id}-hint`}>${hint}</small>` : null}
    </div>
  `;
}

export interface CheckProps {
  id: string;
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}

export function CheckField({ id, label, checked, onChange }: CheckProps) {
  return html`
    <div class="field check">
      <input id=${id} name=${id} type="checkbox" checked=${checked} onChange=${(e: Event) => onChange((e.currentTarget as HTMLInputElement).checked)} />
      <label for=${id}>${label}</label>
    </div>
  `;
}
