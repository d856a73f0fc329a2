// Log lines for stdout, written together instead of one write per line: at most `flushMs` after the first of a batch,
// at once when the batch reaches `maxChars`, and, whatever is left, when the process exits. Order is kept (one buffer,
// written in turn); a stop (SIGINT, SIGTERM) ends with process.exit, whose exit handler writes the rest.
import type { LogSink } from "./logger.ts";

export interface BufferedSink {
  sink: LogSink;
  /** Writes what is buffered now. */
  flush(): void;
}

export interface BufferedSinkOptions {
  flushMs?: number;
  maxChars?: number;
  /** Where a batch goes (stdout by default). */
  write?: (text: string) => void;
}

export function bufferedSink(options: BufferedSinkOptions = {}): BufferedSink {
  const flushMs = options.flushMs ?? 25;
  const maxChars = options.maxChars ?? 64 * 1024;
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  let lines: string[] = [];
  let chars = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let hooked = false;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (lines.length === 0) return;
    const text = `${lines.join("\n")}\n`;
    lines = [];
    chars = 0;
    write(text);
  };
  const sink: LogSink = (line) => {
    if (!hooked) {
      hooked = true;
      process.on("exit", flush);
    }
    lines.push(line);
    chars += line.length + 1;
    if (chars >= maxChars) flush();
    else if (timer === undefined) {
      timer = setTimeout(flush, flushMs);
      timer.unref?.();
    }
  };
  return { sink, flush };
}
