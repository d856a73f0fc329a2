// The app shell: a header (who is signed in, sign out), the navigation of the pages this role may open (arrow keys
// move between them), and the page itself, whose heading takes the focus when the page changes.
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { html } from "./html.ts";
import type { Page } from "./pages/page.ts";
import { href } from "./router.ts";
import type { Session } from "./session.ts";

function roleLabel(session: Session): string {
  if (session.operator) return "operator";
  return session.team_id === null ? `account ${session.role}` : `team ${session.role}`;
}

/** Arrow keys, Home and End move the focus between the navigation's links. */
function moveFocus(event: KeyboardEvent): void {
  const links = [...(event.currentTarget as HTMLElement).querySelectorAll<HTMLAnchorElement>("a")];
  const at = links.indexOf(document.activeElement as HTMLAnchorElement);
  const next = { ArrowDown: at + 1, ArrowRight: at + 1, ArrowUp: at - 1, ArrowLeft: at - 1, Home: 0, End: links.length - 1 }[event.key];
  if (next === undefined || at < 0) return;
  event.preventDefault();
  links[(next + links.length) % links.length]?.focus();
}

export interface ShellProps {
  session: Session;
  pages: Page[];
  route: string;
  onSignOut: () => void;
  children: ComponentChildren;
}

export function Shell({ session, pages, route, onSignOut, children }: ShellProps) {
  const main = useRef<HTMLElement>(null);
  useEffect(() => {
    main.current?.querySelector<HTMLElement>("h1")?.focus();
  }, [route]);
  return html`
    <div class="shell">
      <header class="bar">
        <span class="brand">keyway</span>
        <span class="who" id="who">${roleLabel(session)} · ${session.account_id}${session.team_id ? ` · ${session.team_id}` : ""}</span>
        <button type="button" class="secondary" id="sign-out" onClick=${onSignOut}>Sign out</button>
      </header>
      <nav aria-label="Pages" onKeyDown=${moveFocus}>
        <ul>
          ${pages.map((p) => html`<li key=${p.path}><a href=${href(p.path)} aria-current=${p.path === route ? "page" : undefined}>${p.title}</a></li>`)}
        </ul>
      </nav>
      <main id="main" ref=${main}>${children}</main>
    </div>
  `;
}
