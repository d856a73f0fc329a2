// `npm run build`: one self-contained executable, dist/keyway. Minified without mangling names (so spans stay
// readable), with bytecode so the binary starts without parsing its JavaScript.
import { mkdirSync } from "node:fs";

mkdirSync("dist", { recursive: true });
const result = Bun.spawnSync(
  [
    process.execPath,
    "build",
    "--compile",
    "--bytecode",
    "--format=esm",
    "--minify-whitespace",
    "--minify-syntax",
    "src/main.ts",
    "--outfile",
    "dist/keyway",
  ],
  { stdout: "inherit", stderr: "inherit" },
);
process.exit(result.exitCode ?? 2);
