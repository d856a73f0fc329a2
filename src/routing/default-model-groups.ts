// The model groups keyway ships for the common model classes, and how they merge under the config's own.
// Members are keyed by built-in adapter name, so every configured provider using that adapter gets the member.

/** Group name -> adapter -> upstream model id. Ids as listed in each provider's public model reference. */
export const DEFAULT_MODEL_GROUPS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  /** The best general model of each provider. */
  flagship: {
    openai: "gpt-4.1",
    anthropic: "claude-sonnet-4-5-20250929",
    google: "gemini-2.5-pro",
    mistral: "mistral-large-latest",
    cohere: "command-a-03-2025",
    perplexity: "sonar-pro",
  },
  /** The GPT-4 class, by the name the SPEC and the ParrotRouter examples use. */
  "gpt-4": {
    openai: "gpt-4o",
    anthropic: "claude-sonnet-4-5-20250929",
    google: "gemini-2.5-pro",
    mistral: "mistral-large-latest",
    cohere: "command-a-03-2025",
    perplexity: "sonar-pro",
  },
  /** Small, quick and cheap. */
  fast: {
    openai: "gpt-4o-mini",
    anthropic: "claude-haiku-4-5-20251001",
    google: "gemini-2.5-flash",
    mistral: "mistral-small-latest",
    cohere: "command-r7b-12-2024",
    perplexity: "sonar",
  },
  /** Models that think before they answer. */
  reasoning: {
    openai: "o4-mini",
    anthropic: "claude-opus-4-5-20251101",
    google: "gemini-2.5-pro",
    mistral: "magistral-medium-latest",
    cohere: "command-a-reasoning-08-2025",
    perplexity: "sonar-reasoning-pro",
  },
  /** Text embeddings (POST /v1/embeddings). */
  embedding: {
    openai: "text-embedding-3-small",
    google: "gemini-embedding-001",
    mistral: "mistral-embed",
    cohere: "embed-v4.0",
  },
};

type Groups = Record<string, Record<string, string>>;

/**
 * The groups a running keyway resolves: the defaults, expanded to the configured providers using each member's
 * adapter (a member whose adapter no configured provider uses is left out), then the config's groups on top.
 * A config group replaces the default group of the same name entirely.
 */
export function withDefaultModelGroups(
  configured: Readonly<Groups>,
  providers: Readonly<Record<string, { adapter: string }>>,
  defaults: Readonly<Record<string, Readonly<Record<string, string>>>> = DEFAULT_MODEL_GROUPS,
): Groups {
  const merged: Groups = {};
  for (const [group, members] of Object.entries(defaults)) {
    const expanded: Record<string, string> = {};
    for (const [adapter, model] of Object.entries(members)) {
      for (const [name, settings] of Object.entries(providers)) if (settings.adapter === adapter) expanded[name] = model;
    }
    if (Object.keys(expanded).length > 0) merged[group] = expanded;
  }
  for (const [group, members] of Object.entries(configured)) merged[group] = { ...members };
  return merged;
}
