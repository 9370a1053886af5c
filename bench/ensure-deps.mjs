// Installs the bench's own dependencies when any is missing: `npm ci --ignore-scripts` in bench/.
// --ignore-scripts: onnxruntime-node ships its CPU binaries; its install script only fetches GPU files.
import { execSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

const dir = new URL("./", import.meta.url);
const { dependencies } = JSON.parse(readFileSync(new URL("package.json", dir), "utf8"));
const missing = Object.keys(dependencies).filter(
  (d) => !existsSync(new URL(`node_modules/${d}/package.json`, dir)),
);
if (missing.length > 0) {
  console.error(`[bench] installing bench dependencies (missing: ${missing.join(", ")})`);
  execSync("npm ci --ignore-scripts", { cwd: dir, stdio: "inherit" });
}
