// The compiler's version, from package.json (two levels up from both src/ and dist/).
import { createRequire } from "node:module";

export const VERSION: string = (
  createRequire(import.meta.url)("../package.json") as { version: string }
).version;
