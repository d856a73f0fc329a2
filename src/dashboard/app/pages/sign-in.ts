// Sign-in: a keyway key typed into a password field, exchanged for a session (POST /v1/sessions). The key leaves
// the page's memory as soon as the server answers; only the HttpOnly cookie stays.
import { useState } from "preact/hooks";
import { html } from "../html.ts";
import { TextField } from "../components/field.ts";
import { ErrorNotice } from "../components/notice.ts";
import { type Session, signIn } from "../session.ts";
import { useSubmit } from "../use-submit.ts";

export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [key, setKey] = useState("");
  // Signed in, the page goes away: the button stays disabled until then.
  const { busy, error, submit } = useSubmit(
    async () => {
      const typed = key;
      setKey("");
      onSignedIn(await signIn(typed));
    },
    { keepBusy: true },
  );
  return html`
    <main class="sign-in" id="main">
      <h1>keyway</h1>
      <form onSubmit=${submit} aria-describedby="sign-in-about">
        <p id="sign-in-about">Sign in with a keyway key. It is exchanged for a session and not kept in this browser.</p>
        <${TextField} id="key" label="keyway key" type="password" autocomplete="off" required=${true} value=${key} onInput=${setKey} />
        <${ErrorNotice} error=${error} />
        <button type="submit" disabled=${busy}>${busy ? "Signing in…" : "Sign in"}</button>
      </form>
    </main>
  `;
}
