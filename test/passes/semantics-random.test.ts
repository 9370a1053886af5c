// Properties over random element-wise cells: every pass keeps the IR verifiable, is idempotent,
// and leaves what the interpreter computes unchanged.
//
// Two domains, because group-terms reassociates sums: over arbitrary floats (NaN, infinities,
// 1e300, comparisons, step, pow) reordering h + x + (-x) turns 0 into h, and a comparison or
// pow downstream turns one ulp into a different branch or a NaN, so no tolerance is sound there.
// - anyCell/anyLeaves: every pass but group-terms must give the same values as its input, bit
//   for bit (NaN matching NaN, and signed zeros included: simplify's rules are exact in IEEE).
// - integerCell/integerLeaves: whole numbers and whole-number operators only, where float64
//   sums are exact in any order as long as they stay below 2^53; so after every prefix of the
//   pipeline, group-terms included, the values must equal the lowered IR's exactly.
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { interpretStep } from "../../src/compiler/ir/interpret.js";
import type { CellIR } from "../../src/compiler/ir/ir.js";
import { groupTerms } from "../../src/compiler/passes/group-terms.js";
import { PIPELINE } from "../../src/compiler/passes/index.js";
import { verifyIR } from "../../src/compiler/ir/verify.js";
import { compile } from "../../src/index.js";
import { type Cell, cellText } from "../property/element-wise-cells.js";
import { identical } from "./compare.js";
import { type Leaves, anyCell, anyLeaves, integerCell, integerLeaves } from "./arbitraries.js";
import { CTX, text } from "./helpers.js";

function lowered(spec: Cell): { ir: CellIR; source: string } {
  const source = cellText(spec);
  const result = compile(source, { file: "random.cell", passes: [] });
  if (!result.ir) throw new Error(`test setup: does not compile:\n${source}`);
  return { ir: result.ir, source };
}

/** Every node's value for one step. */
function values(ir: CellIR, leaves: Leaves): Float64Array[] {
  return interpretStep(ir, new Map([["N", leaves.n]]), (node) =>
    Float64Array.from(leaves.values[node.name as keyof Leaves["values"]]),
  );
}

/** h', c' and the output, end to end. */
function roots(ir: CellIR, leaves: Leaves): number[] {
  const v = values(ir, leaves);
  return [...v[ir.next.get("h")!]!, ...v[ir.next.get("c")!]!, ...v[ir.output]!];
}

/** Same number, NaN matching NaN (and -0 matching 0). */
const same = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length &&
  a.every((x, i) => x === b[i] || (Number.isNaN(x) && Number.isNaN(b[i]!)));

/** The IR each pass of the pipeline receives, paired with the pass. */
function stages(ir: CellIR): { pass: (typeof PIPELINE)[number]; input: CellIR }[] {
  const out: { pass: (typeof PIPELINE)[number]; input: CellIR }[] = [];
  for (const pass of PIPELINE) {
    out.push({ pass, input: ir });
    ir = pass.run(ir, CTX);
  }
  return out;
}

describe("every pass on random element-wise cells", () => {
  test.prop([anyCell], { seed: 0x9a55e5, numRuns: 200 })(
    "keeps the IR verifiable and is idempotent",
    (spec) => {
      const { ir, source } = lowered(spec);
      for (const { pass, input } of stages(ir)) {
        const once = pass.run(input, CTX);
        expect(() => verifyIR(once, `after ${pass.name}`), source).not.toThrow();
        const twice = pass.run(once, CTX);
        expect(text(twice), `${pass.name} twice on\n${source}`).toBe(text(once));
      }
    },
  );

  test.prop([anyCell, anyLeaves], { seed: 0x5e3a, numRuns: 300 })(
    "computes what its input computes, group-terms aside",
    (spec, leaves) => {
      const { ir, source } = lowered(spec);
      for (const { pass, input } of stages(ir)) {
        if (pass === groupTerms) continue;
        const [want, got] = [roots(input, leaves), roots(pass.run(input, CTX), leaves)];
        expect(identical(got, want), `${pass.name}: ${got} instead of ${want} on\n${source}`).toBe(
          true,
        );
      }
    },
  );
});

describe("the pipeline on random whole-number cells", () => {
  /** No value beyond 2^40: then any partial sum of fewer than 2^12 of them stays exact. */
  const small = (ir: CellIR, leaves: Leaves): boolean =>
    values(ir, leaves).every((v) => v.every((x) => Math.abs(x) <= 2 ** 40));

  test.prop([integerCell, integerLeaves], { seed: 0x1e7e9, numRuns: 300 })(
    "computes exactly what the lowered IR computes after every prefix",
    (spec, leaves) => {
      const { ir, source } = lowered(spec);
      fc.pre(small(ir, leaves));
      const want = roots(ir, leaves);
      let current = ir;
      for (const pass of PIPELINE) {
        current = pass.run(current, CTX);
        const got = roots(current, leaves);
        expect(same(got, want), `after ${pass.name}: ${got} instead of ${want} on\n${source}`).toBe(
          true,
        );
      }
    },
  );
});
