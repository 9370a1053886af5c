// Loads Chevrotain from its single-file bundle (lib/chevrotain.mjs, shipped in the package but
// hidden by its `exports` map). The default entry pulls in lodash-es as ~600 separate modules,
// which costs about 300 ms at every CLI start; the bundle is the same code in one file.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";

type Chevrotain = typeof import("chevrotain");

async function load(): Promise<Chevrotain> {
  const entry = createRequire(import.meta.url).resolve("chevrotain");
  const bundle = join(dirname(entry), "..", "chevrotain.mjs");
  if (existsSync(bundle)) return (await import(pathToFileURL(bundle).href)) as Chevrotain;
  return import("chevrotain");
}

export const chevrotain: Chevrotain = await load();
