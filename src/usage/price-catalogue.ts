// List prices (USD per million tokens: input, output) of the seed providers' common models, by adapter. Each is a
// whole number of micro-USD per million tokens (six decimals at most), so money math converts it exactly.
// A model matches the longest id it starts with (gpt-4o-2024-08-06 -> gpt-4o). The config's
// `providers.*.models` entries override these. Prices change: keep this file current.

type Prices = Record<string, [input: number, output: number]>;

export const PRICE_CATALOGUE: Record<string, Prices> = {
  openai: {
    "gpt-4o": [2.5, 10],
    "gpt-4o-mini": [0.15, 0.6],
    "gpt-4.1": [2, 8],
    "gpt-4.1-mini": [0.4, 1.6],
    "gpt-4.1-nano": [0.1, 0.4],
    "gpt-4-turbo": [10, 30],
    "gpt-3.5-turbo": [0.5, 1.5],
    "gpt-3.5-turbo-instruct": [1.5, 2],
    o1: [15, 60],
    "o1-mini": [1.1, 4.4],
    o3: [2, 8],
    "o3-mini": [1.1, 4.4],
    "o4-mini": [1.1, 4.4],
    "text-embedding-3-small": [0.02, 0],
    "text-embedding-3-large": [0.13, 0],
    "text-embedding-ada-002": [0.1, 0],
  },
  anthropic: {
    "claude-3-5-sonnet": [3, 15],
    "claude-3-7-sonnet": [3, 15],
    "claude-sonnet-4": [3, 15],
    "claude-3-5-haiku": [0.8, 4],
    "claude-3-haiku": [0.25, 1.25],
    "claude-3-opus": [15, 75],
    "claude-opus-4": [15, 75],
  },
  google: {
    "gemini-1.5-pro": [1.25, 5],
    "gemini-1.5-flash": [0.075, 0.3],
    "gemini-2.0-flash": [0.1, 0.4],
    "gemini-2.5-pro": [1.25, 10],
    "gemini-2.5-flash": [0.3, 2.5],
    "text-embedding-004": [0, 0],
  },
  mistral: {
    "mistral-large": [2, 6],
    "mistral-medium": [0.4, 2],
    "mistral-small": [0.2, 0.6],
    codestral: [0.3, 0.9],
    "open-mistral-nemo": [0.15, 0.15],
    "mistral-embed": [0.1, 0],
  },
  cohere: {
    "command-a": [2.5, 10],
    "command-r-plus": [2.5, 10],
    "command-r": [0.15, 0.6],
    "command-r7b": [0.0375, 0.15],
    "embed-english-v3.0": [0.1, 0],
    "embed-multilingual-v3.0": [0.1, 0],
  },
  perplexity: {
    sonar: [1, 1],
    "sonar-pro": [3, 15],
    "sonar-reasoning": [1, 5],
    "sonar-reasoning-pro": [2, 8],
  },
};

const found = new Map<string, [number, number] | undefined>();

/** The catalogue price of `model` for an adapter, by longest matching id (remembered: this runs per request). */
export function cataloguePrice(adapter: string, model: string): [number, number] | undefined {
  const key = `${adapter}\u0000${model}`;
  if (found.has(key)) return found.get(key);
  const price = lookup(adapter, model);
  if (found.size > 10_000) found.clear();
  found.set(key, price);
  return price;
}

function lookup(adapter: string, model: string): [number, number] | undefined {
  const prices = PRICE_CATALOGUE[adapter];
  if (!prices) return undefined;
  let best: string | undefined;
  for (const id of Object.keys(prices)) {
    if ((model === id || model.startsWith(`${id}-`) || model.startsWith(`${id}@`)) && (best === undefined || id.length > best.length)) best = id;
  }
  return best === undefined ? undefined : prices[best];
}
