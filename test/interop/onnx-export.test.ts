// `exportOnnx` against cellc's kernel: every shipped cell and every hand-written cell of the test
// suites, exported over random stacks (stacked, bidirectional, with and without sequence lengths
// and initial states, batch-first on the caller's side) and run in ONNX Runtime, gives the
// kernel's outputs and final states. Set CELLC_EXPORT_ERRORS=1 to print the worst error per cell.
import { afterAll, describe, expect, it } from "vitest";
import { CELL_NAMES, cellSource } from "../helpers/cells.js";
import { rng } from "../helpers/random.js";
import { CELLS } from "../codegen/custom-cell-list.js";
import { CUSTOM_CELLS } from "../passes/custom-cells.js";
import { variantCache } from "../codegen/harness.js";
import { checkExport, type ExportCase } from "./onnx-export-harness.js";

interface Subject {
  readonly name: string;
  readonly text: string;
  readonly stackable: boolean;
  readonly bidirectional: boolean;
  readonly alwaysInitial: boolean;
  readonly zeros: boolean;
  /** Sizes to use; random ones for the sizes declared otherwise. */
  readonly sizes?: Readonly<Record<string, number>>;
}

const plain = { stackable: true, bidirectional: true, alwaysInitial: false, zeros: false };

const SHIPPED: readonly Subject[] = CELL_NAMES.map((name) => ({
  ...plain,
  name,
  text: cellSource(name),
}));

const seen = new Set<string>();
const HAND_WRITTEN: readonly Subject[] = [
  ...CELLS.map((c) => ({
    name: `kernel suite: ${c.name}`,
    text: c.text,
    stackable: c.stackable,
    bidirectional: c.bidirectional ?? true,
    alwaysInitial: c.alwaysInitial ?? false,
    zeros: c.zeros ?? false,
  })),
  ...CUSTOM_CELLS.map((c) => ({ ...plain, ...c, name: `passes suite: ${c.name}` })),
].filter((c) => !seen.has(c.text) && seen.add(c.text));

function sizesOf(s: Subject, random: () => number): Record<string, number> {
  if (s.sizes) return { ...s.sizes };
  const names = /^size (.*)$/m.exec(s.text)?.[1]?.split(",") ?? [];
  return Object.fromEntries(names.map((n) => [n.trim(), 2 + Math.floor(random() * 3)]));
}

/** Three stacks per cell: deep and both ways with everything given; one layer batch-first with
 * fills and zero states; a single step of a single sample with lengths. */
function casesOf(s: Subject, seed: number): ExportCase[] {
  const sizes = sizesOf(s, rng(seed));
  const layers = (n: number) => (s.stackable ? n : 1);
  const common = { sizes, zeros: s.zeros, withOptional: true, initial: true };
  return [
    {
      ...common,
      layers: layers(2),
      bidirectional: s.bidirectional,
      batchFirst: false,
      T: 5,
      B: 3,
      lengths: true,
    },
    {
      ...common,
      layers: 1,
      bidirectional: false,
      batchFirst: true,
      T: 4,
      B: 2,
      lengths: false,
      initial: s.alwaysInitial,
      withOptional: false,
    },
    {
      ...common,
      layers: layers(3),
      bidirectional: s.bidirectional,
      batchFirst: true,
      T: 1,
      B: 1,
      lengths: true,
    },
  ];
}

const compiled = variantCache();
const worst = new Map<string, { error: number; fused: string }>();

async function checkSubject(s: Subject, seed: number): Promise<void> {
  const v = await compiled(s.text, `${s.name.replace(/\W+/g, "_")}.cell`, "pipeline");
  let error = 0;
  let fused = "";
  for (const [k, cfg] of casesOf(s, seed).entries()) {
    const label = `${s.name} case ${k}: ${cfg.layers} layer(s), D=${cfg.bidirectional ? 2 : 1}, T=${cfg.T} B=${cfg.B}, ${cfg.lengths ? "lengths" : "full"}, ${cfg.initial ? "initial" : "zero"} states`;
    const m = await checkExport(v, cfg, seed * 10 + k, label);
    error = Math.max(error, m.maxError);
    fused = m.exported.fused ?? "Scan";
  }
  worst.set(s.name, { error, fused });
}

afterAll(() => {
  if (!process.env["CELLC_EXPORT_ERRORS"]) return;
  for (const [name, { error, fused }] of worst)
    console.log(`${name}\t${fused}\t${error.toExponential(2)}`);
});

describe("ONNX export of the shipped cells", () => {
  it.each(SHIPPED.map((s, i) => ({ s, i, name: s.name })))(
    "matches the kernel when $name runs exported in ONNX Runtime",
    async ({ s, i }) => checkSubject(s, 100 + i),
  );
});

describe("ONNX export of the test suites' hand-written cells", () => {
  it.each(HAND_WRITTEN.map((s, i) => ({ s, i, name: s.name })))(
    "matches the kernel when $name runs exported in ONNX Runtime",
    async ({ s, i }) => checkSubject(s, 200 + i),
  );

  it("covers both lists of hand-written cells", () => {
    expect(HAND_WRITTEN.length).toBeGreaterThanOrEqual(CELLS.length);
  });
});
