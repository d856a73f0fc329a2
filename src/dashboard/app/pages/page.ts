// What a page is: where it lives (#/path), its title in the navigation, the action its role needs to see it, and
// the component. pages/index.ts lists them; the shell shows only those the session's role may open.
import type { FunctionComponent } from "preact";
import type { Session } from "../session.ts";

export interface PageProps {
  session: Session;
}

export interface Page {
  /** The fragment path, like "/providers". */
  path: string;
  title: string;
  /** An action of src/accounts/permissions.ts the role needs to open the page; none: every signed-in role. */
  needs?: string;
  component: FunctionComponent<PageProps>;
}
