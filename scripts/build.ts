// `npm run build`: one self-contained executable, dist/keyway (minified without mangling names, so spans stay readable).
import { mkdirSync } from "node:fs";

mkdirSync("dist", { recursive: true });
const result = Bun.spawnSync(
  [process.execPath, "build", "--compile", "--minify-whitespace", "--minify-syntax", "src/main.ts", "--outfile", "dist/keyway"],
  { stdout: "inherit", stderr: "inherit" },
);
process.exit(result.exitCode ?? 2);
