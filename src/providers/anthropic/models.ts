// What keyway knows about each Claude model's request rules: its generation (from the model id), whether it has
// structured outputs (`output_config.format`), and whether it refuses `temperature` and `top_p` together.

export interface ClaudeVersion {
  major: number;
  minor: number;
}

/** claude-opus-4-5-20251101, claude-sonnet-4-5, claude-haiku-4-5@20251001 (newer ids) */
const FAMILY_FIRST = /^claude-(?:opus|sonnet|haiku)-(\d+)(?:-(\d{1,2}))?(?=$|[-@])/;
/** claude-3-5-sonnet-20241022, claude-3-haiku-20240307 (older ids) */
const VERSION_FIRST = /^claude-(\d+)(?:-(\d{1,2}))?-(?:opus|sonnet|haiku)/;

/** The model's generation (4.5 for claude-sonnet-4-5-20250929); undefined for ids keyway does not recognise. */
export function claudeVersion(model: string): ClaudeVersion | undefined {
  const bare = model.replace(/^(?:[a-z]{2}\.)?anthropic\./, "");
  const match = FAMILY_FIRST.exec(bare) ?? VERSION_FIRST.exec(bare);
  if (!match) return undefined;
  return { major: Number(match[1]), minor: match[2] === undefined ? 0 : Number(match[2]) };
}

const atLeast = (version: ClaudeVersion | undefined, major: number, minor: number): boolean =>
  version !== undefined && (version.major > major || (version.major === major && version.minor >= minor));

/**
 * Structured outputs (`output_config.format` with a JSON schema): Claude 4.5 and later (Opus, Sonnet, Haiku).
 * A provider's `options.structured_outputs` (true or false) overrides this, for ids keyway cannot read.
 */
export function hasStructuredOutputs(model: string, options: Readonly<Record<string, unknown>>): boolean {
  const configured = options.structured_outputs;
  if (typeof configured === "boolean") return configured;
  return atLeast(claudeVersion(model), 4, 5);
}

/** Claude Opus 4.1 and every later model answer 400 when a request sets both temperature and top_p. */
export function refusesTemperatureWithTopP(model: string): boolean {
  return atLeast(claudeVersion(model), 4, 1);
}
