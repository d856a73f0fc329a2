// `keyway/plugin`, the one module plugins import: the contract (types, defineProvider, defineStrategy) and the helpers.
export * from "../plugins/sdk.ts";
export * from "./helpers.ts";
