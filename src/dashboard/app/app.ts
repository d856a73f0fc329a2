// The dashboard's root: finds the session (or shows sign-in), then the shell with the page the fragment names,
// among the pages the session's role may open.
import { useEffect, useState } from "preact/hooks";
import { onSignedOut } from "./api.ts";
import { html } from "./html.ts";
import { Shell } from "./layout.ts";
import { PAGES } from "./pages/index.ts";
import { SignIn } from "./pages/sign-in.ts";
import { useRoute } from "./router.ts";
import { can, currentSession, type Session, signOut } from "./session.ts";
import { ErrorNotice, Loading } from "./components/notice.ts";

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>();
  const route = useRoute();
  useEffect(() => {
    onSignedOut(() => setSession(null));
    currentSession().then(setSession, setError);
  }, []);
  if (error) return html`<main id="main"><${ErrorNotice} error=${error} /></main>`;
  if (session === undefined) return html`<main id="main"><${Loading} what="keyway" /></main>`;
  if (session === null) return html`<${SignIn} onSignedIn=${setSession} />`;
  const pages = PAGES.filter((p) => p.needs === undefined || can(session, p.needs));
  const page = pages.find((p) => p.path === route) ?? pages[0];
  const leave = () => {
    signOut().finally(() => setSession(null));
  };
  return html`
    <${Shell} session=${session} pages=${pages} route=${page?.path ?? route} onSignOut=${leave}>
      ${page ? html`<${page.component} key=${page.path} session=${session} />` : html`<h1 tabindex="-1">Nothing to show for this key</h1>`}
    <//>
  `;
}
