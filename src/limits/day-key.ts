// The calendar day in a time zone (budgets reset at that zone's midnight).

const formats = new Map<string, Intl.DateTimeFormat>();

export function dayKey(timeZone: string, at = Date.now()): string {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formats.set(timeZone, format);
  }
  return format.format(at);
}
