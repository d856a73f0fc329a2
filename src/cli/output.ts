// What CLI commands print for the person at the terminal (not logs: those go through the redacting logger).

export function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

export function complain(text: string): void {
  process.stderr.write(`${text}\n`);
}
