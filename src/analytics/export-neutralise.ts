// Formula-injection defence for CSV text cells (OWASP "CSV Injection"): a cell a spreadsheet would read as a formula
// (starting with =, +, -, @, a tab or a carriage return, or the full-width = + - @ that some spreadsheets fold into
// them) gets a leading single quote, so it shows as plain text.
// Numbers are never passed through here: the writers format them themselves.

const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** The text as a spreadsheet may safely show it: prefixed with ' when it would otherwise start a formula. */
export function neutraliseCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}
