// Orchestrates the benchmark: compile times; per shape and cell, prepare each implementation, time
// it, check its output against cellc (tfjs' wasm backend last, see runsLast); the variants' cost
// against their plain cells (see measureVariants); print the tables; then bench/results.md.
// Usage: node bench/run.mjs [--quick] [--variants] [--shapes S0,S1] [--cells lstm,gru]
//   [--impls ort,cellc] [--out FILE]
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { cellInfo, CELLS, extraFlopsOf, makeCase, projSize, SHAPES } from "./cases.mjs";
import { loadImpls } from "./load-impls.mjs";
import { FULL, maxAbsDiff, measureInTurns, QUICK } from "./measure.mjs";
import { methodText, noiseNotes, notesText, variantsText } from "./notes.mjs";
import { startCpuWatch } from "./cpu-watch.mjs";
import {
  compileTable,
  machineInfo,
  resultsMarkdown,
  shapeTable,
  TOLERANCE,
  variantTable,
} from "./report.mjs";

const BASELINE = "ONNX Runtime, 1 thread";
const REFERENCE = "cellc, default target";

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    variants: { type: "boolean", default: false },
    shapes: { type: "string" },
    cells: { type: "string" },
    impls: { type: "string" },
    out: { type: "string" },
  },
});
const lower = (s) => s.toLowerCase();
const list = (s) =>
  s
    ?.split(",")
    .map((x) => lower(x.trim()))
    .filter(Boolean);
// --variants: only the table of the variants' cost against their plain cells (cellc, default
// target), on the shapes the variants run on unless --shapes says otherwise.
const variantCells = CELLS.filter((c) => c.base);
const variantShapes = [...new Set(variantCells.flatMap((c) => c.shapes ?? []))].map(lower);
const shapeIds = list(args.shapes) ?? (args.variants ? variantShapes : null);
const cellIds = list(args.cells);
const implFilter = args.variants ? [REFERENCE.toLowerCase()] : list(args.impls);
const plan = args.quick ? QUICK : FULL;
const log = (msg) => console.error(`[bench] ${msg}`);
// The variants' table: ratios of medians need more samples than a row's median, and the host's
// slow spells come and go within a second (seen: one kernel's medians over 0.3 s from 51 to
// 82 ms), so three times a row's budget, in 30 rounds of turns.
const VARIANT_PLAN = { ...plan, budgetMs: 3 * plan.budgetMs, rounds: 30 };

const { impls, failures, versions } = await loadImpls();
const chosen = impls.filter(
  (i) => !implFilter || implFilter.some((f) => lower(i.name).includes(f)),
);
const shapes = SHAPES.filter((s) => !shapeIds || shapeIds.includes(s.id.toLowerCase()));
if (shapes.length === 0) throw new Error(`no shape matches --shapes ${args.shapes}`);
const machine = machineInfo();
const cpuUsed = startCpuWatch();
log(
  `${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; ${args.quick ? "quick" : "full"} mode`,
);

/**
 * tfjs' wasm backend grows its WebAssembly memory, which detaches an ArrayBuffer, and the first
 * detached buffer in a process makes V8 check every later typed-array access for detachment
 * (~20% off all typed-array JavaScript timed after it: cellc's JS target, not the tutorial's
 * nested arrays). So its rows run after everything else; the tables list them in their place.
 */
const runsLast = (impl) => impl.name === "tfjs-layers, wasm backend";

// First, while the process is fresh, as a `cellc compile` command runs (later, tfjs' detached
// buffer slows all typed-array JavaScript, see runsLast).
const { compileTimes } = await import("./compile-time.mjs");
const compile = args.variants ? null : compileTable(await compileTimes(plan));

const cases = [];
for (const shape of shapes) {
  for (const { id: cell, shapes: only } of CELLS) {
    if (args.variants || (cellIds && !cellIds.includes(cell))) continue;
    if (only && !only.includes(shape.id)) continue;
    if (cell === "lstmp" && projSize(shape.H) < 1) continue; // PyTorch needs 0 < P < H
    cases.push({ shape, c: makeCase(cell, shape), rows: new Map(), outputs: new Map() });
  }
}
const [first, last] = [chosen.filter((i) => !runsLast(i)), chosen.filter(runsLast)];
for (const k of cases) await measureCase(k, first);
const variants = await measureVariants(); // before tfjs' wasm backend (see runsLast)
for (const k of cases) await measureCase(k, last);

const sections = [];
const capped = [];
for (const shape of shapes) {
  const rows = cases.filter((k) => k.shape === shape).flatMap((k) => finishRows(k));
  if (rows.length === 0) continue; // --variants, or a filter leaving none
  const title = titleOf(shape);
  const table = shapeTable(shape.stream, shape.T, rows);
  console.log(`\n### ${title}\n\n${table}`);
  sections.push({ title, table });
  for (const r of rows)
    if (r.capped)
      capped.push(`${shape.id} ${r.cell} ${r.impl} (${r.runs} run${r.runs === 1 ? "" : "s"})`);
}

const variantSection = variants.length > 0 ? variantTable(variants) : null;
if (variantSection) console.log(`\n### Variants against their plain cells\n\n${variantSection}`);
if (compile) console.log(`\n### Compile time\n\n${compile}`);

const facts = { failures, capped, cpu: cpuUsed() };
log(noiseNotes(facts.cpu).join(" "));
Object.assign(facts, await kernelFacts());
const page = resultsMarkdown({
  machine,
  versions,
  method: methodText(args.quick),
  sections,
  variants: variantSection && { text: variantsText(), table: variantSection },
  compile,
  notes: notesText(facts),
});
const partial = args.quick || args.variants || shapeIds || cellIds || implFilter;
const out = args.out ?? (partial ? null : new URL("results.md", import.meta.url));
if (out) {
  await writeFile(out, page);
  log(`wrote ${out instanceof URL ? "bench/results.md" : out}`);
} else log("quick or filtered run: results.md left as is (pass --out FILE to write one)");

/**
 * Times each of `impls` that supports the case's cell, all prepared at once and timed in turns
 * (see measureInTurns), keeping each row and its output.
 */
async function measureCase(k, impls) {
  const { c } = k;
  const prepared = [];
  const fail = (row, e) => {
    row.error = String(e?.message ?? e)
      .split("\n")[0]
      .slice(0, 160);
    log(`${c.id} ${c.cell} ${row.impl} failed: ${e?.stack ?? e}`);
  };
  for (const impl of impls.filter((i) => i.cells.includes(c.cell))) {
    const row = { cell: cellInfo(c.cell).label, impl: impl.name };
    k.rows.set(impl.name, row);
    try {
      prepared.push({ row, runner: await impl.prepare(c) });
    } catch (e) {
      fail(row, e);
    }
  }
  try {
    const runs = prepared.map(
      ({ runner }) =>
        () =>
          runner.run(),
    );
    const timings = await measureInTurns(runs, plan, (i, e) => fail(prepared[i].row, e));
    timings.forEach((m, i) => {
      const { row, runner } = prepared[i];
      if (!m) return;
      Object.assign(row, m, { gflops: c.flops / (m.medianMs * 1e6) });
      k.outputs.set(row.impl, runner.output());
      log(`${c.id} ${c.cell} ${row.impl}: ${m.medianMs.toFixed(3)} ms median of ${m.runs}`);
    });
  } finally {
    for (const { runner } of prepared) await runner.dispose?.();
  }
}

/**
 * Times the default target of each variant (LN-LSTM, GRU-RB) and of its plain cell, per shape,
 * all four in turns (as measureCase: a slow spell of the host hits them alike, so the time ratios
 * stay fair), and gives what the arithmetic predicts: the product FLOPs both share plus the
 * element-wise FLOPs the variant adds, over the product FLOPs.
 */
async function measureVariants() {
  const impl = chosen.find((i) => i.name === REFERENCE);
  const rows = [];
  for (const shape of shapes) {
    const pairs = variantCells.filter(
      (v) => (!v.shapes || v.shapes.includes(shape.id)) && (!cellIds || cellIds.includes(v.id)),
    );
    if (!impl || pairs.length === 0) continue;
    const cells = pairs.flatMap((v) => [v.base, v.id]);
    const made = cells.map((cell) => makeCase(cell, shape));
    const runners = [];
    try {
      for (const c of made) runners.push(await impl.prepare(c));
      const timings = await measureInTurns(
        runners.map((r) => () => r.run()),
        VARIANT_PLAN,
        (i, e) => log(`${shape.id} ${cells[i]} (variants) failed: ${e?.stack ?? e}`),
      );
      const time = (cell) => timings[cells.indexOf(cell)]?.medianMs;
      for (const v of pairs) {
        const [baseMs, variantMs] = [time(v.base), time(v.id)];
        const products = made[cells.indexOf(v.base)].flops / (shape.B * shape.T); // per step, sample
        const row = { shape: shape.id, base: cellInfo(v.base).label, variant: v.label };
        Object.assign(row, { baseMs, variantMs, ratio: variantMs / baseMs });
        row.predicted = (products + extraFlopsOf(v.id, shape)) / products;
        log(`${shape.id} ${row.variant} / ${row.base}: ${row.ratio.toFixed(3)}`);
        rows.push(row);
      }
    } finally {
      for (const r of runners) await r.dispose?.();
    }
  }
  return rows;
}

/** A case's rows in the implementations' order, with ratios to ORT and differences to cellc. */
function finishRows(k) {
  const rows = chosen.map((i) => k.rows.get(i.name)).filter(Boolean);
  const base = rows.find((r) => r.impl === BASELINE && !r.error);
  const ref = k.outputs.get(REFERENCE);
  const tolerance = cellInfo(k.c.cell).tolerance ?? TOLERANCE;
  for (const r of rows) {
    if (r.error) continue;
    if (base) r.ratio = base.medianMs / r.medianMs;
    if (r.impl === REFERENCE) r.isRef = true;
    else if (ref) r.diff = maxAbsDiff(k.outputs.get(r.impl), ref);
    r.tolerance = tolerance;
    if (r.diff > tolerance)
      log(`WARNING ${k.c.id} ${k.c.cell} ${r.impl}: max abs diff ${r.diff} vs cellc`);
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
