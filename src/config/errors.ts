// Config problems: each names the path it concerns and what was expected.

export interface ConfigIssue {
  path: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly issues: ConfigIssue[],
  ) {
    super(`${source}: ${issues.map((issue) => `${issue.path || "(root)"}: ${issue.message}`).join("; ")}`);
    this.name = "ConfigError";
  }

  describe(): string {
    const lines = this.issues.map((issue) => `  ${issue.path || "(root)"}: ${issue.message}`);
    return `invalid config (${this.source}):\n${lines.join("\n")}`;
  }
}

/** `/providers/openai/base_url` -> `providers.openai.base_url`; `/list/0` -> `list[0]`. */
export function dottedPath(pointer: string): string {
  let out = "";
  for (const raw of pointer.split("/").slice(1)) {
    const part = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    out += /^\d+$/.test(part) ? `[${part}]` : out === "" ? part : `.${part}`;
  }
  return out;
}
