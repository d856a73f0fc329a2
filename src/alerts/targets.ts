// An alert's notify list as targets: webhook URLs and e-mail addresses (a stored entry is a URL when it has a scheme).
export interface AlertTarget {
  kind: "email" | "webhook";
  target: string;
}

export function targetsOf(notify: readonly string[]): AlertTarget[] {
  return notify.map((target) => ({ kind: /^[A-Za-z][A-Za-z0-9+.-]*:/.test(target) ? "webhook" : "email", target }));
}
