// cse and dce, the two generic passes. The front end never gives them work (the builder
// hash-conses and lowering drops dead nodes, and every rewriting pass rebuilds the same way), so
// their effect is shown on hand-edited IR; on real IR they must hand back their input untouched.
import { describe, expect, it } from "vitest";
import type { CellIR } from "../../src/compiler/ir/ir.js";
import { PIPELINE } from "../../src/compiler/passes/index.js";
import { cse } from "../../src/compiler/passes/cse.js";
import { dce } from "../../src/compiler/passes/dce.js";
import { hoist } from "../../src/compiler/passes/hoist.js";
import { verifyIR } from "../../src/compiler/ir/verify.js";
import { CELL_NAMES, compileCell } from "../helpers/cells.js";
import { insertNode, setArg, withoutId } from "./edit-ir.js";
import { CTX, expressions, lower, pointwise, run, text } from "./helpers.js";

// %0 = input x, %1 = tanh %0, %2 = state h, %3 = mul %1, %2, %4 = mul %3, %1 (h' and output)
const base = (): CellIR => lower(pointwise("let t = tanh(x)", "h' = t * h * t", "output h'"));

/**
 * For every shipped cell, the lowered IR and the IR after each rewriting pass. (Not after hoist:
 * rebuilding drops stages, so cse after hoist returns a stage-less copy, as rebuild.ts says.)
 */
function pipelineIRs(): CellIR[] {
  return CELL_NAMES.flatMap((name) => {
    const irs = [compileCell(name)];
    for (const pass of PIPELINE.filter((p) => p !== hoist)) {
      irs.push(pass.run(irs[irs.length - 1]!, CTX));
    }
    return irs;
  });
}

describe("cse", () => {
  it("merges a node with its twin when both are used", () => {
    const ir = base();
    expect(text(ir)).toContain("%1 = tanh %0 : [N]");
    // A second `tanh %0` at %2, which the final mul now reads instead of %1.
    let twin = insertNode(ir, 2, withoutId(ir.nodes[1]!));
    twin = setArg(twin, twin.output, 1, 2);
    verifyIR(twin, "in the test setup");
    expect(twin.nodes.filter((n) => n.op === "tanh")).toHaveLength(2);
    const out = run(twin, cse);
    expect(out.nodes.filter((n) => n.op === "tanh")).toHaveLength(1);
    expect(text(out)).toBe(text(ir));
  });

  it("merges twins whose users then become twins, all the way up", () => {
    // %0 = input x, %1 = tanh %0, %2 = state h, %3 = mul %1, %2 (h' and output)
    const ir = lower(pointwise("h' = tanh(x) * h", "output h'"));
    const shape = ir.nodes[3]!.shape;
    // Then %3 = tanh %0 and %4 = mul %3, %2 as the output: a second chain computing h'.
    let twin = insertNode(ir, 3, withoutId(ir.nodes[1]!));
    twin = insertNode(twin, 4, { op: "mul", args: [3, 2], shape, span: null });
    twin = { ...twin, output: 4 };
    verifyIR(twin, "in the test setup");
    expect(twin.nodes).toHaveLength(ir.nodes.length + 2);
    expect(twin.output).not.toBe(twin.next.get("h"));
    expect(text(run(twin, cse))).toBe(text(ir));
  });

  it("returns its input itself for every IR of the pipeline", () => {
    for (const ir of pipelineIRs()) expect(cse.run(ir, CTX)).toBe(ir);
  });
});

describe("dce", () => {
  it("drops a dead node and renumbers the ones after it", () => {
    const ir = base();
    const dead = insertNode(ir, 2, { op: "exp", args: [1], shape: ir.nodes[1]!.shape, span: null });
    verifyIR(dead, "in the test setup");
    expect(dead.nodes).toHaveLength(ir.nodes.length + 1);
    const out = run(dead, dce);
    expect(text(out)).toBe(text(ir));
    expect(expressions(out)).toBe(expressions(ir));
  });

  it("drops a dead chain whose only reader is itself dead", () => {
    const ir = base();
    const shape = ir.nodes[1]!.shape;
    let dead = insertNode(ir, 1, { op: "neg", args: [0], shape, span: null }); // %1 = neg x
    dead = insertNode(dead, 2, { op: "exp", args: [1], shape, span: null }); // %2 = exp %1
    verifyIR(dead, "in the test setup");
    expect(text(run(dead, dce))).toBe(text(ir));
  });

  it("keeps a node that only a state's next value reads", () => {
    const ir = lower(pointwise("state c : [N]", "c' = exp(x)", "h' = h", "output x"));
    expect(run(ir, dce)).toBe(ir);
  });

  it("returns its input itself for every IR of the pipeline", () => {
    for (const ir of pipelineIRs()) expect(dce.run(ir, CTX)).toBe(ir);
  });
});
