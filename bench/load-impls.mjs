// Loads every implementation, each on its own: one that fails to load (a missing native binary, a
// wasm file not found) is reported with its reason and the others still run.
import { execSync } from "node:child_process";
import { readFile } from "node:fs/promises";

/**
 * @returns {Promise<{ impls: import("./impl.mjs").Impl[], failures: string[],
 *   versions: Record<string, string> }>}
 */
export async function loadImpls() {
  const impls = [];
  const failures = [];
  const versions = {};
  const attempt = async (label, load) => {
    try {
      impls.push(...(await load()));
    } catch (e) {
      const why = String(e?.message ?? e).split("\n")[0];
      failures.push(`${label}: ${why}`);
      console.error(`[bench] ${label} is unavailable: ${why}`);
    }
  };
  await attempt("onnxruntime-node", async () => {
    const m = await import("./impl-ort.mjs");
    versions["onnxruntime-node"] = m.ortVersion;
    return [m.ortImpl(1), m.ortImpl(2)];
  });
  for (const backend of ["cpu", "wasm"]) {
    await attempt(`tfjs ${backend} backend`, async () => {
      const m = await import("./impl-tfjs.mjs");
      versions.tfjs = m.tfjsVersion;
      await m.startBackend(backend); // fail here, once, rather than in every row
      return [m.tfjsImpl(backend)];
    });
  }
  await attempt("tutorial-style JS", async () => [
    (await import("./impl-tutorial.mjs")).tutorialImpl,
  ]);
  await attempt("cellc", async () => {
    const m = await import("./impl-cellc.mjs");
    const pkg = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"));
    versions.cellc = `${pkg.version}${gitState()}`;
    return m.CELLC_VARIANTS.map(m.cellcImpl);
  });
  return { impls, failures, versions };
}

/** " (commit abc1234)", plus "with uncommitted src/ changes" when the build is not that commit. */
function gitState() {
  try {
    const git = (args) =>
      execSync(`git ${args}`, { cwd: new URL("../", import.meta.url), stdio: "pipe" });
    const head = git("rev-parse --short HEAD").toString().trim();
    const dirty = git("status --porcelain -- src cells").toString().trim() !== "";
    return ` (commit ${head}${dirty ? ", built with uncommitted src/ changes" : ""})`;
  } catch {
    return ""; // not a git checkout
  }
}
