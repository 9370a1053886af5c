// Shared by the suites: the shipped cells, compiled once per file and activation set.
import { readFileSync, readdirSync } from "node:fs";
import { compileOrThrow } from "../../src/index.js";
import type { CellIR } from "../../src/compiler/ir/ir.js";

export const CELL_NAMES: readonly string[] = readdirSync("cells")
  .filter((f) => f.endsWith(".cell"))
  .map((f) => f.slice(0, -".cell".length))
  .sort();

export function cellSource(name: string): string {
  return readFileSync(`cells/${name}.cell`, "utf8");
}

export function compileCell(
  name: string,
  activations: Readonly<Record<string, string>> = {},
): CellIR {
  return compileOrThrow(cellSource(name), { file: `cells/${name}.cell`, activations }).ir;
}

export const FIXTURE_DIR = "test/fixtures";

export const FIXTURE_NAMES: readonly string[] = readdirSync(FIXTURE_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
