// One direction of one layer of any cell as an ONNX Scan. Input-only values are computed before
// the Scan for all steps at once and enter it as scan inputs (the input projection becomes one
// MatMul over (T, B, I)); the body computes one step of the batch from the states; weight-only
// values are initializers, computed at export. With sequence lengths, a (T, B, 1) mask enters
// too: a sample past its length keeps its states and outputs zeros there, which is ONNX's
// sequence_lens and PyTorch's packed semantics (the reverse direction, scanned from T - 1 down,
// thus starts at each sample's own last step).
import { type CellIR, type ValueId } from "../../compiler/ir/ir.js";
import { evalSize } from "../../shared/size.js";
import { DataType, type ValueInfoProto } from "../onnx/types.js";
import { emitNode, type NodeScope } from "./emit-node.js";
import { GraphBuilder } from "./graph-builder.js";
import { type LayerParams, type LayerPlan, planLayer, transpose } from "./layer-plan.js";
import { graphAttr, intAttr, intsAttr, valueInfo } from "./proto-values.js";

export interface ScanLayer {
  /** The model's graph, which the Scan and the input-only values go into. */
  readonly model: GraphBuilder;
  readonly ir: CellIR;
  readonly layer: LayerParams;
  /** The layer's input, (T, B, I). */
  readonly x: string;
  /** Per state, its initial (B, size) value. */
  readonly initial: readonly string[];
  /** (T, B, 1) bool: whether step t is within sample b's length; null when all are. */
  readonly mask: string | null;
  readonly reverse: boolean;
  /** Names this direction's values (`l0`, `l0_reverse`). */
  readonly prefix: string;
  readonly cannotExport: (op: string) => never;
}

export interface LayerResult {
  /** Per state, its final (B, size) value. */
  readonly finals: readonly string[];
  /** (T, B, out), aligned with input time. */
  readonly output: string;
}

function dims(L: ScanLayer, id: ValueId): number[] {
  return L.ir.nodes[id]!.shape.map((d) => {
    const n = evalSize(d, L.layer.sizes);
    if (n === null) throw new Error("internal: an unbound size in the ONNX export");
    return n;
  });
}

/** The initializer holding weight-only node `id` (or its transpose), made once per graph. */
function weightValue(L: ScanLayer, plan: LayerPlan, g: GraphBuilder, id: ValueId, t: boolean) {
  return g.cached(`${L.prefix}/${id}/${t}`, () => {
    const n = L.ir.nodes[id]!;
    const hint = `${L.prefix}_${n.op === "param" ? n.name : (n.hint ?? n.op)}`;
    const values = plan.weightValues[id]!;
    const [m = 1, k = 1] = dims(L, id);
    if (t) return g.floats(`${hint}_T`, [k, m], transpose(values, m, k));
    return g.floats(hint, dims(L, id), values);
  });
}

function scope(
  L: ScanLayer,
  plan: LayerPlan,
  g: GraphBuilder,
  emitted: ReadonlyMap<ValueId, string>,
  lead: () => string,
): NodeScope {
  return {
    g,
    sizes: L.layer.sizes,
    nodes: L.ir.nodes,
    bools: new Map(),
    lead,
    cannotExport: L.cannotExport,
    batched: (id) => plan.stages[id] !== "weight",
    transposed: (id) => weightValue(L, plan, g, id, true),
    value(id) {
      if (plan.stages[id] === "weight")
        return { name: weightValue(L, plan, g, id, false), batched: false };
      const name = emitted.get(id);
      if (name === undefined) throw new Error(`internal: %${id} used before it is written`);
      return { name, batched: true };
    },
  };
}

/** Writes the input-only nodes into the model's graph; returns their names by id. */
function emitOuter(L: ScanLayer, plan: LayerPlan): Map<ValueId, string> {
  const emitted = new Map<ValueId, string>();
  const lead = () =>
    L.model.cached(`lead/${L.x}`, () =>
      L.model.op("Shape", [L.x], { attrs: [intAttr("start", 0), intAttr("end", 2)] }),
    );
  const s = scope(L, plan, L.model, emitted, lead);
  L.ir.nodes.forEach((n, id) => {
    if (!plan.used[id] || plan.stages[id] !== "sequence") return;
    emitted.set(id, n.op === "input" ? L.x : emitNode(s, n));
  });
  return emitted;
}

interface Body {
  readonly g: GraphBuilder;
  readonly inputs: ValueInfoProto[];
  readonly outputs: ValueInfoProto[];
  /** Per state, its value at the start of the step. */
  readonly states: string[];
  /** The scan inputs as the model's graph names them. */
  readonly scanned: string[];
  mask: string | null;
}

/** The body's inputs: the states, then one per crossing value (or the input), then the mask. */
function bodyInputs(L: ScanLayer, plan: LayerPlan, emitted: Map<ValueId, string>): Body {
  const outer = emitOuter(L, plan);
  const body: Body = {
    g: new GraphBuilder(L.model.names),
    ...{ inputs: [], outputs: [], states: [], scanned: [], mask: null },
  };
  const input = (hint: string, type: number) => {
    const name = L.model.names.claim(`${L.prefix}_${hint}`);
    body.inputs.push(valueInfo(name, type));
    return name;
  };
  for (const st of L.ir.states) body.states.push(input(st.name, DataType.FLOAT));
  for (const id of plan.crossing) {
    emitted.set(id, input(`${L.ir.nodes[id]!.hint ?? `v${id}`}_t`, DataType.FLOAT));
    body.scanned.push(outer.get(id)!);
  }
  // A Scan needs a scan input, which also gives the body its batch size: the input will do.
  if (plan.crossing.length === 0 && L.mask === null) {
    input("x_t", DataType.FLOAT);
    body.scanned.push(L.x);
  }
  if (L.mask !== null) {
    body.mask = input("mask_t", DataType.BOOL);
    body.scanned.push(L.mask);
  }
  return body;
}

/** The step's results as the body's outputs: next states, then the output. */
function emitRoots(L: ScanLayer, s: NodeScope, body: Body): void {
  const g = body.g;
  const batched = (id: ValueId): string => {
    const v = s.value(id);
    if (v.batched) return v.name;
    const shape = g.op("Concat", [s.lead(), g.ints(dims(L, id))], { attrs: [intAttr("axis", 0)] });
    return g.op("Expand", [v.name, shape]);
  };
  // Past a sample's length its states stay and its output is zero.
  const masked = (id: ValueId, otherwise: () => string, hint: string) => {
    const name = L.model.names.claim(`${L.prefix}_${hint}`);
    if (body.mask === null) g.op("Identity", [batched(id)], { output: name });
    else g.op("Where", [body.mask, batched(id), otherwise()], { output: name });
    body.outputs.push(valueInfo(name, DataType.FLOAT));
  };
  L.ir.states.forEach((st, i) =>
    masked(L.ir.next.get(st.name)!, () => body.states[i]!, `${st.name}_next`),
  );
  masked(L.ir.output, () => g.scalar(0), "y");
}

/** The Scan node in the model's graph; returns its final states and its (T, B, out) output. */
function writeScan(L: ScanLayer, body: Body): LayerResult {
  const names = L.model.names;
  const finals = L.ir.states.map((st) => names.claim(`${L.prefix}_${st.name}_n`));
  const output = names.claim(`${L.prefix}_output`);
  const graph = body.g.graph(`${L.prefix}_step`, body.inputs, body.outputs);
  const k = body.scanned.length;
  const directions = L.reverse
    ? [intsAttr("scan_input_directions", Array(k).fill(1)), intsAttr("scan_output_directions", [1])]
    : [];
  const attrs = [graphAttr("body", graph), intAttr("num_scan_inputs", k), ...directions];
  L.model.opMulti("Scan", [...L.initial, ...body.scanned], [...finals, output], attrs);
  return { finals, output };
}

export function scanLayer(L: ScanLayer): LayerResult {
  const plan = planLayer(L.ir, L.layer);
  const emitted = new Map<ValueId, string>();
  const body = bodyInputs(L, plan, emitted);
  const lead = () =>
    body.g.cached("lead", () =>
      body.g.op("Shape", [body.inputs[L.ir.states.length]!.name!], {
        attrs: [intAttr("start", 0), intAttr("end", 1)],
      }),
    );
  const s = scope(L, plan, body.g, emitted, lead);
  L.ir.nodes.forEach((n, id) => {
    if (!plan.used[id] || plan.stages[id] !== "step") return;
    const state = L.ir.states.findIndex((d) => n.op === "state" && d.name === n.name);
    emitted.set(id, state >= 0 ? body.states[state]! : emitNode(s, n));
  });
  emitRoots(L, s, body);
  return writeScan(L, body);
}
