// Compile-time benchmark: for each shipped cell, the median time of compile() (front end and
// passes) and of generateModule (with and without prettier), after warm-up.
import { readdir } from "node:fs/promises";
import { cellc, compileCell, generate } from "./impl-cellc.mjs";
import { measure } from "./measure.mjs";

/**
 * @param {import("./measure.mjs").Plan} plan
 * @returns {Promise<{ cell: string, compileMs: number, generateMs: number, generateRawMs: number,
 *   runs: number, error?: string }[]>}
 */
export async function compileTimes(plan) {
  const files = (await readdir(new URL("../cells/", import.meta.url))).filter((f) =>
    f.endsWith(".cell"),
  );
  const rows = [];
  for (const f of files.sort()) {
    const cell = f.replace(/\.cell$/, "");
    try {
      const { text, file, result } = await compileCell(cell);
      const c = await measure(() => cellc.compile(text, { file }), plan);
      const g = await measure(() => generate(result, undefined, true), plan);
      const raw = await measure(() => generate(result, undefined, false), plan);
      rows.push({
        cell,
        compileMs: c.medianMs,
        generateMs: g.medianMs,
        generateRawMs: raw.medianMs,
        runs: c.runs,
      });
    } catch (e) {
      rows.push({
        cell,
        compileMs: NaN,
        generateMs: NaN,
        generateRawMs: NaN,
        runs: 0,
        error: String(e.message ?? e),
      });
    }
  }
  return rows;
}
