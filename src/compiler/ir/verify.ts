// Checks the IR's invariants; a failure is a compiler bug, thrown as `internal:`. Runs after every
// pass in tests. Invariants: dense ids in topological order, leaves match their declarations,
// every shape is what the op's rule gives, and every state has a next value of its own shape.
import { formatSymbolicShape, shapeEquals } from "../../shared/size.js";
import type { CellIR, Node } from "./ir.js";
import { isBinaryOp, isUnaryOp, STAGE_ORDER } from "./ir.js";
import { printNode } from "./print-ir.js";
import { inferShape } from "./shape-rules.js";

const ARITY: Readonly<Record<string, number>> = {
  ...{ select: 3, matvec: 2, affine: 3 },
  ...{ slice: 1, columns: 1, sum: 1 },
};

function arityOf(n: Node): number | null {
  if (n.op === "concat") return null;
  if (n.op === "input" || n.op === "state" || n.op === "param") return 0;
  if (n.op === "const" || n.op === "size") return 0;
  if (isUnaryOp(n.op)) return 1;
  if (isBinaryOp(n.op)) return 2;
  return ARITY[n.op] ?? -1;
}

export function verifyIR(ir: CellIR, when = ""): void {
  const fail = (message: string): never => {
    throw new Error(`internal: IR verification failed${when ? ` ${when}` : ""}: ${message}`);
  };
  const decls = new Map([
    ...ir.inputs.map((d) => [`input ${d.name}`, d.shape] as const),
    ...ir.states.map((d) => [`state ${d.name}`, d.shape] as const),
    ...ir.params.map((d) => [`param ${d.name}`, d.shape] as const),
  ]);
  ir.nodes.forEach((n, i) => {
    if (n.id !== i) fail(`node at index ${i} has id %${n.id}`);
    const arity = arityOf(n);
    if (arity !== null && n.args.length !== arity)
      fail(`${printNode(n)} has ${n.args.length} args`);
    if (n.op === "concat" && n.args.length === 0) fail(`${printNode(n)} joins nothing`);
    for (const a of n.args)
      if (!(a >= 0 && a < i)) fail(`${printNode(n)} uses %${a} before it exists`);
    checkShape(n, ir, decls, fail);
    checkStage(n, ir, fail);
  });
  const valid = (id: number) => id >= 0 && id < ir.nodes.length;
  if (ir.next.size !== ir.states.length)
    fail(`${ir.next.size} next values for ${ir.states.length} states`);
  for (const s of ir.states) {
    const id = ir.next.get(s.name);
    if (id === undefined || !valid(id)) fail(`state '${s.name}' has no next value`);
    if (!shapeEquals(ir.nodes[id!]!.shape, s.shape))
      fail(`next value of '${s.name}' has the wrong shape`);
  }
  if (!valid(ir.output)) fail(`output %${ir.output} does not exist`);
}

// A stage is never earlier than an argument's, and leaves have the only stage they can have.
function checkStage(n: Node, ir: CellIR, fail: (m: string) => never): void {
  if (n.stage === undefined) return;
  const fixed = {
    ...{ input: "sequence", state: "step" },
    ...{ param: "weight", const: "weight", size: "weight" },
  } as const;
  const required = n.op in fixed ? fixed[n.op as keyof typeof fixed] : null;
  if (required !== null && n.stage !== required)
    fail(`${printNode(n)} must be at stage ${required}`);
  for (const a of n.args) {
    const s = ir.nodes[a]!.stage ?? "step";
    if (STAGE_ORDER[s] > STAGE_ORDER[n.stage])
      fail(`${printNode(n)} runs before its argument %${a}`);
  }
}

function checkShape(
  n: Node,
  ir: CellIR,
  decls: ReadonlyMap<string, CellIR["inputs"][number]["shape"]>,
  fail: (m: string) => never,
): void {
  if (n.op === "input" || n.op === "state" || n.op === "param") {
    const declared = decls.get(`${n.op} ${n.name}`);
    if (!declared) fail(`${printNode(n)} names nothing declared`);
    if (!shapeEquals(declared!, n.shape))
      fail(`${printNode(n)} is declared ${formatSymbolicShape(declared!)}`);
    return;
  }
  if (n.op === "const" || n.op === "size") {
    if (n.shape.length !== 0) fail(`${printNode(n)} is not a scalar`);
    return;
  }
  const argShapes = n.args.map((a) => ir.nodes[a]!.shape);
  const len = n.op === "slice" || n.op === "columns" ? n.len : undefined;
  const expected = inferShape(n.op, argShapes, len);
  if ("problem" in expected) fail(`${printNode(n)}: ${expected.problem}`);
  if ("shape" in expected && !shapeEquals(expected.shape, n.shape)) {
    fail(`${printNode(n)} should have shape ${formatSymbolicShape(expected.shape)}`);
  }
}
