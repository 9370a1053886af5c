// Keras' weights as cellc's: per recurrent layer and direction, kernel [I, G*H], recurrent_kernel
// [H, G*H] and bias (LSTM [4H], GRU [3H] or with reset_after [2, 3H] = input and recurrent bias,
// SimpleRNN [H]) come in the manifest's order; each is transposed to PyTorch's [G*H, ...] and
// its gate blocks reordered (Keras stacks LSTM gates i, f, c, o, as PyTorch does; GRU z, r, h,
// which PyTorch stacks r, z, n).
import { DataError } from "../../shared/data-error.js";
import type { Tensor } from "../../shared/tensor.js";
import { reorderBlocks } from "../stack/index.js";
import type { KerasLayer } from "./topology.js";
import type { ManifestWeight } from "./weights-manifest.js";

const GATES: Readonly<Record<KerasLayer["kind"], number>> = { LSTM: 4, GRU: 3, SimpleRNN: 1 };
const ORDER: Readonly<Record<KerasLayer["kind"], readonly number[]>> = {
  LSTM: [0, 1, 2, 3],
  GRU: [1, 0, 2],
  SimpleRNN: [0],
};

/** layers[k][d], taking the manifest's weights in order; `inputSize` is layer 0's. */
export function kerasWeights(
  layers: readonly KerasLayer[],
  weights: readonly ManifestWeight[],
  inputSize: number,
  source: string,
): Map<string, Tensor>[][] {
  let next = 0;
  const take = (layer: KerasLayer, role: string, shape: readonly number[]): Float32Array => {
    const w = weights[next++];
    const where = `layer '${layer.name}' (${layer.kind})`;
    if (!w) throw new DataError(source, null, `the manifest has no ${role} for ${where}`);
    const base = w.name.replace(/:\d+$/, "").split("/").pop();
    const same = w.shape.length === shape.length && w.shape.every((n, i) => n === shape[i]);
    if (base !== role || !same)
      throw new DataError(
        source,
        null,
        `weight '${w.name}' [${w.shape.join(", ")}] is not the ${role} [${shape.join(", ")}] of ${where}`,
      );
    return w.data;
  };
  let I = inputSize;
  const out = layers.map((layer) => {
    const directions = Array.from({ length: layer.bidirectional ? 2 : 1 }, () =>
      directionWeights(layer, I, take),
    );
    I = directions.length * layer.units;
    return directions;
  });
  if (next !== weights.length)
    throw new DataError(
      source,
      null,
      `the manifest holds ${weights.length - next} weights past the recurrent layers' (of layers cellc does not import?)`,
    );
  return out;
}

type Take = (layer: KerasLayer, role: string, shape: readonly number[]) => Float32Array;

function directionWeights(layer: KerasLayer, I: number, take: Take): Map<string, Tensor> {
  const H = layer.units;
  const G = GATES[layer.kind];
  const order = ORDER[layer.kind];
  // Keras' [inputs, G*H] as PyTorch's [G*H, inputs], gate blocks in PyTorch's order.
  const rows = (data: Float32Array, inputs: number): Tensor =>
    reorderBlocks(transpose(data, inputs, G * H), order, G);
  const out = new Map<string, Tensor>([
    ["weight_ih", rows(take(layer, "kernel", [I, G * H]), I)],
    ["weight_hh", rows(take(layer, "recurrent_kernel", [H, G * H]), H)],
  ]);
  if (!layer.useBias) return out;
  const vector = (data: Float32Array): Tensor => reorderBlocks({ data, shape: [G * H] }, order, G);
  if (layer.resetAfter) {
    const both = take(layer, "bias", [2, G * H]);
    out.set("bias_ih", vector(both.slice(0, G * H)));
    out.set("bias_hh", vector(both.slice(G * H)));
  } else {
    out.set("bias_ih", vector(take(layer, "bias", [G * H])));
  }
  return out;
}

/** A row-major [rows, cols] matrix transposed: [cols, rows]. */
function transpose(data: Float32Array, rows: number, cols: number): Tensor {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return { data: out, shape: [cols, rows] };
}
