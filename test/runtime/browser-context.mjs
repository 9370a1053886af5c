// `node --experimental-vm-modules browser-context.mjs FILE`: evaluates the ES module FILE in a
// fresh context that has only browser-like globals (no process, Buffer or require), linking only
// relative imports of files under dist/. Prints {"ok":true,"result":...} with the module's
// globalThis.result, or {"ok":false,"error":...} when an import is refused or anything throws.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import vm from "node:vm";

const DIST = new URL("../../dist/", import.meta.url).href;
const context = vm.createContext({ TextDecoder, TextEncoder, atob, btoa, console });
const modules = new Map();

function load(url) {
  let module = modules.get(url);
  if (!module) {
    const source = readFileSync(new URL(url), "utf8");
    module = new vm.SourceTextModule(source, { identifier: url, context });
    modules.set(url, module);
  }
  return module;
}

// What a browser without an import map could load: files next to the entry, nothing by name.
function link(specifier, referencing) {
  const relative = specifier.startsWith("./") || specifier.startsWith("../");
  const url = relative ? new URL(specifier, referencing.identifier).href : "";
  if (!url.startsWith(DIST)) {
    throw new Error(`refused import '${specifier}' in ${referencing.identifier}`);
  }
  return load(url);
}

try {
  const root = load(pathToFileURL(resolve(process.argv[2])).href);
  await root.link(link);
  await root.evaluate();
  console.log(JSON.stringify({ ok: true, result: context.result }));
} catch (e) {
  // Errors thrown inside the context are not `instanceof Error` of this realm.
  const error = typeof e?.message === "string" ? e.message : String(e);
  console.log(JSON.stringify({ ok: false, error }));
}
