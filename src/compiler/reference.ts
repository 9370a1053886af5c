// The reference forward: the float64 interpreter driven over a whole PyTorch-style stack. Simple
// on purpose (one sample and one step at a time), because it is what everything else is checked by.
// Sequence lengths are taken as their definition says: a sample of length n runs steps 0..n-1
// (in reverse n-1..0) from its initial states, and its outputs at steps n..T-1 are zeros.
import type { Sizes } from "../embedded/bind-sizes.js";
import { concreteShape } from "../embedded/bind-sizes.js";
import { runStack } from "../embedded/stack.js";
import { type Weights, weightTensors } from "../embedded/weights.js";
import type {
  ForwardOptions,
  LayerRun,
  StackOptions,
  StackResult,
} from "../embedded/stack-types.js";
import { evalSize } from "../shared/size.js";
import { type Tensor, shapeSize } from "../shared/tensor.js";
import type { CellIR } from "./ir/ir.js";
import { interpretStep } from "./ir/interpret.js";
import { cellMeta } from "./ir/meta.js";

export type { Weights } from "../embedded/weights.js";

export function referenceForward(
  ir: CellIR,
  weights: Weights,
  input: Tensor,
  initial: Readonly<Record<string, Tensor>> | undefined = undefined,
  /** The stack's options and the forward's (`lengths`). */
  options: StackOptions & ForwardOptions = {},
): StackResult<Float64Array> {
  const meta = cellMeta(ir);
  const map = weightTensors(weights, options.sources?.weights ?? "weights");
  return runStack(meta, map, input, initial, options, Float64Array, (sizes, layerWeights) => {
    const params = new Map(
      ir.params.map((p) => {
        const given = layerWeights.get(p.name);
        const shape = concreteShape(p.shape, sizes)!;
        const data = given
          ? Float64Array.from(given.data)
          : new Float64Array(shapeSize(shape)).fill(p.fill ?? 0);
        return [p.name, data] as const;
      }),
    );
    return (run) => runLayer(ir, sizes, params, run);
  });
}

function runLayer(
  ir: CellIR,
  sizes: Sizes,
  params: ReadonlyMap<string, Float64Array>,
  run: LayerRun,
): void {
  const { steps, batch, inSize, xs, ys, outStride, outOffset, reverse, lengths } = run;
  const stateIndex = new Map(ir.states.map((s, i) => [s.name, i]));
  const outSize = evalSize(ir.nodes[ir.output]!.shape[0]!, sizes)!;
  for (let b = 0; b < batch; b++) {
    const length = lengths ? lengths[b]! : steps;
    for (let t = length; t < steps; t++) {
      const at = (t * batch + b) * outStride + outOffset;
      ys.fill(0, at, at + outSize);
    }
    for (let s = 0; s < length; s++) {
      const t = reverse ? length - 1 - s : s;
      const stateOf = (name: string): Float64Array => {
        const i = stateIndex.get(name)!;
        const size = run.states[i]!.length / batch;
        return Float64Array.from(run.states[i]!.subarray(b * size, (b + 1) * size));
      };
      const x = Float64Array.from(
        xs.subarray((t * batch + b) * inSize, (t * batch + b + 1) * inSize),
      );
      const values = interpretStep(ir, sizes, (n) =>
        n.op === "input" ? x : n.op === "state" ? stateOf(n.name) : params.get(n.name)!,
      );
      ir.states.forEach((st, i) => {
        const next = values[ir.next.get(st.name)!]!;
        run.states[i]!.set(next, b * next.length);
      });
      ys.set(values[ir.output]!, (t * batch + b) * outStride + outOffset);
    }
  }
}
