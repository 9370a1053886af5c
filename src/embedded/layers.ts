// Sorts a PyTorch state_dict into layers and directions: `weight_ih_l1_reverse` is parameter
// `weight_ih` of layer 1, backward direction. Names without `_l{k}` (as nn.LSTMCell saves them)
// mean a single forward layer; names that all end in `_reverse` mean a stack that runs backward
// only (ONNX's direction 'reverse'). Anything else in the file is an error, as with strict loading.
import { DataError } from "../shared/data-error.js";
import type { CellMeta } from "../shared/meta.js";
import { MAX_LAYERS } from "../shared/limits.js";
import { type Tensor, checkTensor } from "../shared/tensor.js";

export interface StackWeights {
  /** layers[k][d] maps parameter names (without suffix) to tensors; d = 0 forward, 1 reverse. */
  readonly layers: readonly (readonly ReadonlyMap<string, Tensor>[])[];
  /** Whether the names carry `_l{k}` suffixes (nn.LSTM) or not (nn.LSTMCell). */
  readonly suffixed: boolean;
  /** Every name ends in `_reverse`: one direction per layer, run from the last step to the first. */
  readonly backward: boolean;
}

/** The name a parameter of layer k, direction d is stored under. */
export function tensorName(stack: StackWeights, param: string, k: number, d: number): string {
  const reverse = d === 1 || stack.backward ? "_reverse" : "";
  return stack.suffixed ? `${param}_l${k}${reverse}` : param;
}

const SUFFIX = /^(.*)_l(\d+)(_reverse)?$/;

export function splitLayers(
  meta: CellMeta,
  weights: ReadonlyMap<string, Tensor>,
  source: string,
): StackWeights {
  const params = new Set(meta.params.map((p) => p.name));
  const list = (names: Iterable<string>) => [...names].map((n) => `'${n}'`).join(", ");
  const cells: Map<string, Tensor>[][] = [];
  let plain = 0;
  let suffixed = 0;
  for (const [name, t] of weights) {
    const m = SUFFIX.exec(name);
    const base = m && params.has(m[1]!) ? m[1]! : params.has(name) ? name : null;
    if (base === null) {
      const detail = `not a parameter of cell '${meta.name}' (expected ${list(params)}, optionally with _l{k} and _reverse)`;
      throw new DataError(source, name, detail);
    }
    const layer = base === name ? 0 : layerIndex(m![2]!, name, source);
    const direction = base !== name && m![3] ? 1 : 0;
    if (base === name) plain++;
    else suffixed++;
    const row = (cells[layer] ??= []);
    (row[direction] ??= new Map()).set(base, checkTensor(t, name, source));
  }
  if (plain > 0 && suffixed > 0) {
    throw new DataError(source, null, "mixes names with and without a layer suffix (_l0)");
  }
  if (cells.length === 0) cells.push([new Map()]);
  // No forward weight anywhere, but backward ones: each layer's one direction is its backward one.
  const backward = cells.every((row) => !row[0]);
  const layers = backward ? cells.map((row) => (row ? [row[1]!] : row)) : cells;
  return { layers: checkComplete(layers, source), suffixed: suffixed > 0, backward };
}

/** k of `_l{k}`: plain digits (so `_l07` cannot stand for `_l7` too), below MAX_LAYERS. */
function layerIndex(digits: string, name: string, source: string): number {
  const k = Number(digits);
  if (String(k) !== digits || k >= MAX_LAYERS) {
    const detail = `layer suffix _l${digits} is not a layer number from 0 to ${MAX_LAYERS - 1}`;
    throw new DataError(source, name, detail);
  }
  return k;
}

/** Every layer present from 0, and the same directions in every layer. */
function checkComplete(cells: Map<string, Tensor>[][], source: string): Map<string, Tensor>[][] {
  const directions = cells[0]?.[1] ? 2 : 1;
  for (let k = 0; k < cells.length; k++) {
    const row = cells[k];
    if (!row)
      throw new DataError(
        source,
        null,
        `layer ${k} is missing (found weights for layer ${cells.length - 1})`,
      );
    for (let d = 0; d < directions; d++) row[d] ??= new Map();
    if (row.length > directions) {
      throw new DataError(source, null, `layer ${k} has _reverse weights but layer 0 does not`);
    }
  }
  return cells;
}
