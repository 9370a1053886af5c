// What package.json says about cellc that the code needs: its version, and the prettier options
// the repository's sources are formatted with, which generated modules follow too. Read at run
// time; the file is two levels up from both src/ and dist/ when installed or built.
import { createRequire } from "node:module";

interface PackageJson {
  readonly version: string;
  readonly prettier: { readonly printWidth: number; readonly trailingComma: "all" };
}

const pkg = createRequire(import.meta.url)("../package.json") as PackageJson;

export const VERSION: string = pkg.version;

/** The prettier options of the sources, of the embedded runtime and of generated modules. */
export const FORMAT_OPTIONS: PackageJson["prettier"] = pkg.prettier;
