// The message a plugin load was refused with; fails the test when the plugin is accepted or refused otherwise.
import { expect } from "bun:test";
import { PluginError } from "../../src/plugin-host/loader.ts";

export async function pluginRefusal(load: Promise<unknown>): Promise<string> {
  try {
    await load;
  } catch (error) {
    expect(error).toBeInstanceOf(PluginError);
    return (error as Error).message;
  }
  throw new Error("the plugin was accepted");
}
