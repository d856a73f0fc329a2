// The `fleet` section of the config: the job lease length `keyway serve` passes to its runtime.
import { describe, expect, test } from "bun:test";
import { knownNames } from "../../src/cli/known-names.ts";
import { loadConfigFrom } from "../../src/config/load.ts";
import { validateConfig } from "../../src/config/validate.ts";

describe("fleet.job_lease_ttl_ms", () => {
  test("defaults to 30 s and takes a whole number of ms from 1000", () => {
    expect(loadConfigFrom({}, "t", {}, knownNames).config.fleet.job_lease_ttl_ms).toBe(30_000);
    expect(loadConfigFrom({ fleet: { job_lease_ttl_ms: 1_000 } }, "t", {}, knownNames).config.fleet.job_lease_ttl_ms).toBe(1_000);
  });

  test("below 1000 ms, above an hour, not a number, or an unknown key in fleet: an issue naming the path", () => {
    for (const value of [999, 0, -5, 3_600_001, "fast"]) {
      const { issues } = validateConfig({ fleet: { job_lease_ttl_ms: value } }, knownNames);
      expect(issues).toEqual([{ path: "fleet.job_lease_ttl_ms", message: expect.stringContaining(">= 1000") }]);
    }
    expect(validateConfig({ fleet: { job_lease_ttl: 5_000 } }, knownNames).issues.map((issue) => issue.path)).toContain("fleet.job_lease_ttl");
  });
});
