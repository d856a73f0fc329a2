// The bench tools' command-line options: `--name value`, or the fallback when the option is absent.
export function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}
