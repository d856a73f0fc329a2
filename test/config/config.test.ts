import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Ajv from "ajv";
import { renderConfigSchema } from "../../scripts/generate-config-schema.ts";
import { knownNames } from "../../src/cli/known-names.ts";
import { ConfigError } from "../../src/config/errors.ts";
import { interpolateEnv } from "../../src/config/interpolate.ts";
import { findConfigFile, loadConfig, loadConfigFrom, parseConfigText } from "../../src/config/load.ts";
import { validateConfig } from "../../src/config/validate.ts";

function issuesOf(raw: unknown) {
  return validateConfig(raw, knownNames).issues;
}

/** The problems loading (interpolation, then validation) finds, as `check` and `serve` report them. */
function loadIssues(raw: unknown, env: Record<string, string>) {
  try {
    loadConfigFrom(raw, "t.yaml", env, knownNames);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
}

describe("env interpolation", () => {
  test("${VAR} and ${VAR:-default} read the environment", () => {
    const env = { HOST: "0.0.0.0", EMPTY: "" };
    expect(interpolateEnv({ a: "${HOST}", b: "${MISSING:-fallback}", c: "x-${HOST}-y", d: "${EMPTY:-used}" }, env)).toEqual({
      a: "0.0.0.0",
      b: "fallback",
      c: "x-0.0.0.0-y",
      d: "used",
    });
  });

  test("a value that is only an unset ${VAR} is removed, in objects and lists", () => {
    expect(interpolateEnv({ admin_key: "${NOPE}", keys: ["${NOPE}", "k2"], partial: "a${NOPE}b" }, {})).toEqual({ keys: ["k2"], partial: "ab" });
  });

  test("env values are never parsed as YAML structure", () => {
    const raw = parseConfigText("server:\n  host: ${EVIL}\n", "x.yaml");
    expect(interpolateEnv(raw, { EVIL: "{port: 1}" })).toEqual({ server: { host: "{port: 1}" } });
  });

  test("numbers from the environment are accepted where numbers are expected", () => {
    const { config } = loadConfigFrom({ server: { port: "${PORT:-9090}" } }, "t", {}, knownNames);
    expect(config.server.port).toBe(9090);
  });
});

describe("validation", () => {
  test("no file means built-in defaults", () => {
    const { config } = loadConfigFrom({}, "built-in defaults", {}, knownNames);
    expect(config.server).toEqual({ host: "127.0.0.1", port: 8080, max_body_bytes: 10485760, max_upload_bytes: 26214400, reuse_port: false });
    expect(config.storage.path).toBe("./keyway.db");
    expect(config.security.allow_per_request_keys).toBe(true);
    expect(config.providers.openai?.adapter).toBe("openai");
    expect(config.routing.default.strategy).toBe("byok_preferred");
  });

  test("unknown keys are errors naming their path", () => {
    expect(issuesOf({ server: { prot: 1 } })).toEqual([{ path: "server.prot", message: expect.stringContaining("unknown key") }]);
    expect(issuesOf({ providrs: {} })[0]?.path).toBe("providrs");
    expect(issuesOf({ providers: { openai: { adapter: "openai", base_ur: "http://x" } } })[0]?.path).toBe("providers.openai.base_ur");
  });

  test("wrong types say what was expected and what was given", () => {
    const [issue] = issuesOf({ server: { port: "eighty" } });
    expect(issue?.path).toBe("server.port");
    expect(issue?.message).toContain("integer");
    expect(issue?.message).toContain('"eighty"');
    expect(issuesOf({ providers: { openai: { adapter: "openai", base_url: "ftp://x" } } })[0]).toEqual({
      path: "providers.openai.base_url",
      message: expect.stringContaining("^https?://"),
    });
    expect(issuesOf({ routing: { fallback_reasons: ["rate_limit", "bogus"] } })[0]?.path).toBe("routing.fallback_reasons[1]");
  });

  test("a number or flag written as such is checked as written: 1.5 is no integer, true is no number", () => {
    expect(issuesOf({ usage: { retention_days: 1.5 } })).toEqual([{ path: "usage.retention_days", message: expect.stringContaining("1.5") }]);
    expect(issuesOf({ server: { port: true } })[0]?.path).toBe("server.port");
    expect(issuesOf({ budgets: { stream_cutoff: 1 } })[0]?.path).toBe("budgets.stream_cutoff");
    // Written as strings (as ${VAR} gives them), they are read as the schema asks.
    const { config } = loadConfigFrom({ usage: { retention_days: "30" }, budgets: { stream_cutoff: "true" } }, "t", {}, knownNames);
    expect(config.usage.retention_days).toBe(30);
    expect(config.budgets.stream_cutoff).toBe(true);
  });

  test("every problem is reported at once", () => {
    const issues = issuesOf({ server: { prot: 1, port: -1 }, storage: { driver: "mysql" } });
    expect(issues.map((i) => i.path).sort()).toEqual(["server.port", "server.prot", "storage.driver"]);
  });

  test("semantic checks: unknown adapters, strategies, group members, openai-compatible without base_url", () => {
    const issues = issuesOf({
      providers: { a: { adapter: "nope" }, b: { adapter: "openai-compatible" } },
      model_groups: { big: { ghost: "m" } },
      routing: { default: { strategy: "fastest-ever" } },
    });
    expect(issues.map((i) => i.path).sort()).toEqual(["model_groups.big.ghost", "providers.a.adapter", "providers.b.base_url", "routing.default.strategy"]);
  });

  test("plugin paths are accepted as adapters", () => {
    expect(issuesOf({ providers: { mine: { adapter: "./plugins/my-provider.ts", base_url: "http://127.0.0.1:1" } } })).toEqual([]);
  });

  test("a YAML syntax error names the file", () => {
    expect(() => parseConfigText("server: [unclosed", "bad.yaml")).toThrow(ConfigError);
    expect(() => parseConfigText("{", "bad.json")).toThrow(/not valid JSON/);
  });
});

describe("values after interpolation", () => {
  const issuesWith = (raw: unknown, env: Record<string, string>) => loadIssues(raw, env);

  test("an unset ${VAR} inside a value is an error naming the variable and the path, not a broken URL", () => {
    const issues = issuesWith({ providers: { local: { adapter: "openai-compatible", base_url: "http://${LOCAL_HOST}:11434/v1" } } }, {});
    expect(issues).toEqual([{ path: "providers.local.base_url", message: expect.stringContaining("${LOCAL_HOST} is not set and has no default") }]);
    expect(issuesWith({ providers: { local: { adapter: "openai-compatible", base_url: "http://${LOCAL_HOST}:11434/v1" } } }, { LOCAL_HOST: "gpu-1" })).toEqual([]);
    expect(issuesWith({ providers: { local: { adapter: "openai-compatible", base_url: "http://${LOCAL_HOST:-127.0.0.1}:11434/v1" } } }, {})).toEqual([]);
  });

  test("a required value left out because its ${VAR} is unset says which variable", () => {
    const issues = issuesWith({ providers: { local: { adapter: "openai-compatible", base_url: "${LOCAL_URL}" } } }, {});
    expect(issues).toEqual([{ path: "providers.local.base_url", message: "required for adapter openai-compatible; ${LOCAL_URL} is not set" }]);
  });

  test("URLs must parse: base_url, telemetry.otlp.endpoint, counters.url", () => {
    const issues = issuesWith(
      {
        providers: { local: { adapter: "openai-compatible", base_url: "http://${LOCAL_HOST}:11434/v1" } },
        telemetry: { otlp: { endpoint: "http://exa mple:4318" } },
        counters: { driver: "redis", url: "http://127.0.0.1:6379" },
      },
      { LOCAL_HOST: "bad host" },
    );
    expect([...issues].sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: "counters.url", message: expect.stringContaining("must start with redis://") },
      { path: "providers.local.base_url", message: "'http://bad host:11434/v1' is not a valid URL (from ${LOCAL_HOST})" },
      { path: "telemetry.otlp.endpoint", message: "'http://exa mple:4318' is not a valid URL" },
    ]);
  });

  test("numbers must be numbers after interpolation; the message names the variable", () => {
    expect(issuesWith({ server: { port: "${PORT:-8080}" } }, { PORT: "eighty" })).toEqual([
      { path: "server.port", message: 'expected integer >= 0, <= 65535, got "eighty" (from ${PORT})' },
    ]);
  });

  test("the folders of the database and the master key file must exist", () => {
    const issues = issuesWith({ storage: { path: "/nonexistent-keyway/${DB_NAME:-k.db}" }, security: { master_key_file: "/nonexistent-keyway/master.key" } }, {});
    expect(issues).toEqual([
      { path: "storage.path", message: "folder /nonexistent-keyway does not exist; create it or choose another path (from ${DB_NAME})" },
      { path: "security.master_key_file", message: "folder /nonexistent-keyway does not exist; create it or choose another path" },
    ]);
    expect(issuesWith({ storage: { path: join(tmpdir(), "k.db") }, security: { master_key_file: "./keyway.master.key" } }, {})).toEqual([]);
  });

  test("schema and semantic problems are reported together, in one pass", () => {
    const issues = issuesWith(
      {
        server: { port: "abc", prot: 1 },
        providers: { a: { adapter: "nope" }, b: { adapter: "openai-compatible", base_url: "http://${B_HOST}/v1" } },
        routing: { default: { strategy: "fastest-ever" } },
        budgets: { time_zone: "Mars/Olympus" },
      },
      {},
    );
    expect(issues.map((i) => i.path).sort()).toEqual(["budgets.time_zone", "providers.a.adapter", "providers.b.base_url", "routing.default.strategy", "server.port", "server.prot"]);
  });
});

describe("discovery", () => {
  const dir = mkdtempSync(join(tmpdir(), "keyway-discovery-"));
  mkdirSync(join(dir, "config"));
  writeFileSync(join(dir, "config", "keyway.yaml"), "server: { port: 1111 }\n");

  test("./config/keyway.yaml is found last, ./keyway.yml before it, ./keyway.yaml first", () => {
    expect(findConfigFile(undefined, {}, dir)).toBe(join(dir, "config/keyway.yaml"));
    writeFileSync(join(dir, "keyway.json"), '{"server":{"port":2222}}');
    expect(findConfigFile(undefined, {}, dir)).toBe(join(dir, "keyway.json"));
    writeFileSync(join(dir, "keyway.yml"), "server: { port: 3333 }\n");
    expect(findConfigFile(undefined, {}, dir)).toBe(join(dir, "keyway.yml"));
    writeFileSync(join(dir, "keyway.yaml"), "server: { port: 4444 }\n");
    expect(findConfigFile(undefined, {}, dir)).toBe(join(dir, "keyway.yaml"));
  });

  test("KEYWAY_CONFIG beats discovery and --config beats KEYWAY_CONFIG", () => {
    const named = join(dir, "named.json");
    writeFileSync(named, '{"server":{"port":5555}}');
    expect(findConfigFile(undefined, { KEYWAY_CONFIG: named }, dir)).toBe(named);
    const flag = join(dir, "flag.yaml");
    writeFileSync(flag, "server: { port: 6666 }\n");
    expect(findConfigFile(flag, { KEYWAY_CONFIG: named }, dir)).toBe(flag);
    expect(loadConfig(flag, {}, knownNames).config.server.port).toBe(6666);
  });

  test("a named file that does not exist is an error, not a silent fallback", () => {
    expect(() => findConfigFile(join(dir, "missing.yaml"), {}, dir)).toThrow(/not found/);
  });
});

describe("shipped files", () => {
  test("config/keyway.schema.json is generated from the TypeBox schema (run `npm run schema` when this fails)", () => {
    expect(readFileSync("config/keyway.schema.json", "utf8")).toBe(renderConfigSchema());
  });

  test("the README's configuration example is a valid config", () => {
    const block = readFileSync("README.md", "utf8").split("## Configuration")[1]?.split("```yaml")[1]?.split("```")[0] ?? "";
    expect(block).toContain("providers:");
    expect(validateConfig(interpolateEnv(parseConfigText(block, "README.md"), {}), knownNames).issues).toEqual([]);
  });

  describe("config/keyway.schema.json, checked by a JSON Schema validator (ajv) as editors do", () => {
    const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync("config/keyway.schema.json", "utf8")));
    const errorsOf = (tree: unknown) => (validate(tree) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
    const readmeExample = () => readFileSync("README.md", "utf8").split("## Configuration")[1]?.split("```yaml")[1]?.split("```")[0] ?? "";

    test("accepts the shipped example and the README example as written (with ${VAR} values)", () => {
      const example = parseConfigText(readFileSync("config/keyway.example.yaml", "utf8"), "keyway.example.yaml");
      expect(JSON.stringify(example)).toContain("${PORT:-8080}");
      expect(errorsOf(example)).toEqual([]);
      expect(errorsOf(parseConfigText(readmeExample(), "README.md"))).toEqual([]);
    });

    test("accepts ${VAR} wherever the loader does: numbers, booleans, choices, URLs", () => {
      const tree = {
        server: { port: "${PORT}", reuse_port: "${REUSE:-false}" },
        storage: { driver: "${DRIVER:-sqlite}" },
        telemetry: { log_level: "${LOG_LEVEL:-info}", otlp: { endpoint: "${OTLP}" } },
        providers: { local: { adapter: "openai-compatible", base_url: "http://${LOCAL_HOST}:11434/v1", timeout_ms: "${TIMEOUT:-60000}" } },
        routing: { retries: "${RETRIES:-1}", fallback_reasons: ["${REASON}"], default: { weights: { local: "${W}" } } },
        health: { health_threshold: "${THRESHOLD}" },
      };
      expect(errorsOf(tree)).toEqual([]);
    });

    test("still refuses what the loader refuses: unknown keys, wrong types, strings with no ${VAR}", () => {
      expect(errorsOf({ server: { prot: 1 } })).toEqual([expect.stringContaining("additional properties")]);
      expect(errorsOf({ server: { port: "eighty" } }).length).toBeGreaterThan(0);
      expect(errorsOf({ storage: { driver: "oracle" } }).length).toBeGreaterThan(0);
      expect(errorsOf({ providers: { x: { adapter: "openai", base_url: "ftp://x" } } }).length).toBeGreaterThan(0);
    });
  });

  test("config/keyway.example.yaml is a valid config", () => {
    const raw = parseConfigText(readFileSync("config/keyway.example.yaml", "utf8"), "config/keyway.example.yaml");
    const issues = validateConfig(interpolateEnv(raw, { KEYWAY_ADMIN_KEY: "kw_example" }), knownNames).issues;
    expect(issues).toEqual([]);
  });
});
