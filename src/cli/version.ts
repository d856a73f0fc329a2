// `keyway version`.
import { VERSION } from "../version.ts";

export async function versionCommand(): Promise<number> {
  console.log(`keyway ${VERSION} (bun ${Bun.version})`);
  return 0;
}
