// `keyway version`.
import { say } from "./output.ts";
import { VERSION } from "../version.ts";

export async function versionCommand(): Promise<number> {
  say(`keyway ${VERSION} (bun ${Bun.version})`);
  return 0;
}
