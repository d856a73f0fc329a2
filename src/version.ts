// The keyway version, shown by `keyway version` and /health.
export const VERSION = "0.4.0";
