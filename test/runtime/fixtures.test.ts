// The ground truth: every PyTorch reference case, run through the float64 interpreter on the
// shipped cell it names (with its sequence lengths, if it has them), must match within the case's
// own tolerance.
import { describe, expect, it } from "vitest";
import { referenceForward } from "../../src/compiler/reference.js";
import { compareTensors } from "../../src/runtime/compare.js";
import { loadReferenceCase } from "../../src/runtime/node-reference-case.js";
import { compileCell, FIXTURE_DIR, FIXTURE_NAMES } from "../helpers/cells.js";

describe("reference interpreter on the PyTorch fixtures", () => {
  it("finds every fixture case", () => {
    expect(FIXTURE_NAMES.length).toBeGreaterThanOrEqual(19);
    expect(FIXTURE_NAMES.filter((n) => n.includes("_packed"))).toHaveLength(6);
  });

  it.each(FIXTURE_NAMES)("matches case %s within its tolerance", (name) => {
    const c = loadReferenceCase(`${FIXTURE_DIR}/${name}`);
    const ir = compileCell(c.cell, c.activations);
    const lengths = c.lengths ? { lengths: c.lengths } : {};
    const options = { batchFirst: c.batchFirst, ...lengths };
    const result = referenceForward(ir, c.weights, c.input, c.states, options);
    expect(Object.keys(c.expected)).toContain("output");
    for (const [tensorName, want] of Object.entries(c.expected)) {
      const got = tensorName === "output" ? result.output : result.states[tensorName];
      expect(got, `no computed tensor '${tensorName}'`).toBeDefined();
      const cmp = compareTensors(got!, want, c.tolerance);
      expect(cmp.mismatch).toBeNull();
      expect(cmp.pass, `${name}/${tensorName}: max abs error ${cmp.maxAbs}`).toBe(true);
    }
  });

  it.each(FIXTURE_NAMES.filter((n) => n.includes("_packed")))(
    "misses case %s without its lengths (the case depends on them)",
    (name) => {
      const c = loadReferenceCase(`${FIXTURE_DIR}/${name}`);
      expect(c.lengths).not.toBeNull();
      const ir = compileCell(c.cell, c.activations);
      const result = referenceForward(ir, c.weights, c.input, c.states, {
        batchFirst: c.batchFirst,
      });
      const cmp = compareTensors(result.output, c.expected["output"]!, c.tolerance);
      expect(cmp.pass).toBe(false);
    },
  );

  it("gives the Map form's result when the weights are a Record, as create takes them", () => {
    const c = loadReferenceCase(`${FIXTURE_DIR}/lstmp_2layer_bidir`);
    const ir = compileCell(c.cell, c.activations);
    const options = { batchFirst: c.batchFirst };
    const fromMap = referenceForward(ir, c.weights, c.input, c.states, options);
    const record = Object.fromEntries(c.weights);
    const fromRecord = referenceForward(ir, record, c.input, c.states, options);
    expect(Object.keys(record).length).toBeGreaterThan(10);
    expect(fromRecord).toEqual(fromMap);
  });

  it("gives exactly 0 0 0 0 0 7 0 0 6 on the lecture case", () => {
    const c = loadReferenceCase(`${FIXTURE_DIR}/lee_linear`);
    const ir = compileCell("linear_lstm");
    const result = referenceForward(ir, c.weights, c.input, c.states);
    expect(Array.from(result.output.data)).toEqual([0, 0, 0, 0, 0, 7, 0, 0, 6]);
  });
});
