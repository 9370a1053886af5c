// Orchestrates the benchmark: per shape and cell, prepare each implementation, time it, check its
// output against cellc, print the table; then compile times; then bench/results.md.
// Usage: node bench/run.mjs [--quick] [--shapes S0,S1] [--cells lstm,gru] [--impls ort,cellc] [--out FILE]
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { makeCase, projSize, SHAPES } from "./cases.mjs";
import { loadImpls } from "./load-impls.mjs";
import { FULL, maxAbsDiff, measure, QUICK } from "./measure.mjs";
import { methodText, notesText } from "./notes.mjs";
import { startCpuWatch } from "./cpu-watch.mjs";
import { compileTable, machineInfo, resultsMarkdown, shapeTable, TOLERANCE } from "./report.mjs";

const BASELINE = "ONNX Runtime, 1 thread";
const REFERENCE = "cellc, default target";
const CELLS = ["lstm", "gru", "lstmp"];

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    shapes: { type: "string" },
    cells: { type: "string" },
    impls: { type: "string" },
    out: { type: "string" },
  },
});
const list = (s) =>
  s
    ?.split(",")
    .map((x) => x.trim().toLowerCase())
    .filter(Boolean);
const shapeIds = list(args.shapes);
const cellIds = list(args.cells);
const implFilter = list(args.impls);
const plan = args.quick ? QUICK : FULL;
const log = (msg) => console.error(`[bench] ${msg}`);

const { impls, failures, versions } = await loadImpls();
const chosen = impls.filter(
  (i) => !implFilter || implFilter.some((f) => i.name.toLowerCase().includes(f)),
);
const shapes = SHAPES.filter((s) => !shapeIds || shapeIds.includes(s.id.toLowerCase()));
if (shapes.length === 0) throw new Error(`no shape matches --shapes ${args.shapes}`);
const machine = machineInfo();
const cpuUsed = startCpuWatch();
log(
  `${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; ${args.quick ? "quick" : "full"} mode`,
);

const sections = [];
const capped = [];
for (const shape of shapes) {
  const rows = [];
  for (const cell of CELLS) {
    if (cellIds && !cellIds.includes(cell)) continue;
    if (cell === "lstmp" && projSize(shape.H) < 1) continue; // PyTorch needs 0 < P < H
    rows.push(...(await benchCell(makeCase(cell, shape), chosen)));
  }
  const title = titleOf(shape);
  const table = shapeTable(shape.stream, shape.T, rows);
  console.log(`\n### ${title}\n\n${table}`);
  sections.push({ title, table });
  for (const r of rows)
    if (r.capped)
      capped.push(`${shape.id} ${r.cell} ${r.impl} (${r.runs} run${r.runs === 1 ? "" : "s"})`);
}

const { compileTimes } = await import("./compile-time.mjs");
const compile = compileTable(await compileTimes(plan));
console.log(`\n### Compile time\n\n${compile}`);

const facts = { failures, capped, cpu: cpuUsed() };
Object.assign(facts, await kernelFacts());
const page = resultsMarkdown({
  machine,
  versions,
  method: methodText(args.quick),
  sections,
  compile,
  notes: notesText(facts),
});
const partial = args.quick || shapeIds || cellIds || implFilter;
const out = args.out ?? (partial ? null : new URL("results.md", import.meta.url));
if (out) {
  await writeFile(out, page);
  log(`wrote ${out instanceof URL ? "bench/results.md" : out}`);
} else log("quick or filtered run: results.md left as is (pass --out FILE to write one)");

/** Times every implementation that supports the case's cell; returns one row each. */
async function benchCell(c, impls) {
  const rows = [];
  const outputs = new Map();
  for (const impl of impls.filter((i) => i.cells.includes(c.cell))) {
    const row = { cell: c.cell.toUpperCase(), impl: impl.name };
    rows.push(row);
    let runner = null;
    try {
      runner = await impl.prepare(c);
      const m = await measure(() => runner.run(), plan);
      Object.assign(row, m, { gflops: c.flops / (m.medianMs * 1e6) });
      outputs.set(impl.name, runner.output());
      log(`${c.id} ${c.cell} ${impl.name}: ${m.medianMs.toFixed(3)} ms median of ${m.runs}`);
    } catch (e) {
      row.error = String(e?.message ?? e)
        .split("\n")[0]
        .slice(0, 160);
      log(`${c.id} ${c.cell} ${impl.name} failed: ${e?.stack ?? e}`);
    } finally {
      await runner?.dispose?.();
    }
  }
  const base = rows.find((r) => r.impl === BASELINE && !r.error);
  const ref = outputs.get(REFERENCE);
  for (const r of rows) {
    if (r.error) continue;
    if (base) r.ratio = base.medianMs / r.medianMs;
    if (r.impl === REFERENCE) r.isRef = true;
    else if (ref) r.diff = maxAbsDiff(outputs.get(r.impl), ref);
    if (r.diff > TOLERANCE)
      log(`WARNING ${c.id} ${c.cell} ${r.impl}: max abs diff ${r.diff} vs cellc`);
  }
  return rows;
}

function titleOf(s) {
  const p = projSize(s.H) >= 1 ? `; LSTMP P = ${projSize(s.H)}` : "";
  if (s.stream) return `STREAM: ${s.T} steps, one call per step, B = ${s.B}, I = H = ${s.H}${p}`;
  return `${s.id}: T = ${s.T}, B = ${s.B}, I = ${s.I}, H = ${s.H}${p}`;
}

/** Whether this build honours `target` and `threads` yet (detected from the generated code). */
async function kernelFacts() {
  try {
    const m = await import("./impl-cellc.mjs");
    const code = (await m.generate((await m.compileCell("lstm")).result, undefined, false)).code;
    return {
      sameTargets: await m.sameCodeForTargets("lstm"),
      threadsRead: /\bthreads\b/.test(code),
    };
  } catch {
    return { sameTargets: null, threadsRead: null };
  }
}
