// A tfjs-layers (or Keras) Sequential model's topology as the recurrent layers cellc imports:
// LSTM, GRU and SimpleRNN, each possibly inside Bidirectional (merge_mode concat), with an
// InputLayer and Dropout layers (nothing at inference) allowed around them. The options that
// change what a layer computes are read and checked; the rest (initializers, regularizers,
// constraints, dropout rates, unroll) change nothing at inference and are ignored.
import type { Activation } from "../stack/index.js";
import { kerasActivation } from "./keras-activations.js";
import type { JsonView } from "./json-view.js";

export type KerasKind = "LSTM" | "GRU" | "SimpleRNN";

export interface KerasLayer {
  readonly view: JsonView;
  readonly name: string;
  readonly kind: KerasKind;
  readonly bidirectional: boolean;
  readonly units: number;
  readonly activation: Activation;
  /** LSTM's and GRU's gate activation; null for SimpleRNN. */
  readonly recurrentActivation: Activation | null;
  readonly useBias: boolean;
  readonly resetAfter: boolean;
  readonly returnSequences: boolean;
  readonly timeMajor: boolean;
}

export interface KerasTopology {
  readonly layers: readonly KerasLayer[];
  /** The input's feature count when an input shape is given. */
  readonly inputSize: number | null;
  readonly dropouts: number;
}

const KINDS: readonly string[] = ["LSTM", "GRU", "SimpleRNN"];
const IDENTITY = [
  "Dropout",
  "SpatialDropout1D",
  "GaussianDropout",
  "GaussianNoise",
  "AlphaDropout",
];
const MAX_UNITS = 1 << 20;

export function readTopology(topology: JsonView): KerasTopology {
  const root = topology.at("model_config").isMissing ? topology : topology.at("model_config");
  const cls = root.at("class_name").string();
  if (cls !== "Sequential")
    throw root.fail(`a ${cls} model: cellc imports Sequential models of recurrent layers`);
  const config = root.at("config");
  const entries = Array.isArray(config.value) ? config.items() : config.at("layers").items();
  const layers: KerasLayer[] = [];
  let inputSize: number | null = null;
  let dropouts = 0;
  for (const entry of entries) {
    const kind = entry.at("class_name").string();
    const c = entry.at("config");
    inputSize ??= inputShapeSize(c);
    if (kind === "InputLayer") continue;
    if (IDENTITY.includes(kind)) {
      dropouts++;
      continue;
    }
    if (kind === "Bidirectional") layers.push(bidirectional(c));
    else if (KINDS.includes(kind))
      layers.push(recurrent(entry, kind as KerasKind, c, false, layerName(c)));
    else
      throw entry.fail(
        `layer '${layerName(c)}' (${kind}) is not supported: cellc imports LSTM, GRU and SimpleRNN layers, possibly Bidirectional`,
      );
  }
  if (layers.length === 0) throw root.fail("no LSTM, GRU or SimpleRNN layer");
  return { layers, inputSize, dropouts };
}

const layerName = (c: JsonView): string => c.at("name").optionalString("");

/** The last entry of batch_input_shape (tfjs, Keras 2) or batch_shape (Keras 3), if any. */
function inputShapeSize(c: JsonView): number | null {
  if (!c.isObject) return null;
  const shape = c.at("batch_input_shape").isMissing
    ? c.at("batch_shape")
    : c.at("batch_input_shape");
  if (shape.isMissing) return null;
  const dims = shape.items();
  if (dims.length !== 3)
    throw shape.fail(
      `an input of ${dims.length} axes: recurrent layers take (batch, time, features)`,
    );
  return dims[2]!.count(MAX_UNITS);
}

function bidirectional(c: JsonView): KerasLayer {
  const mode = c.at("merge_mode").optionalString("concat");
  if (mode !== "concat")
    throw c.fail(
      `Bidirectional layer '${layerName(c)}' merges with '${mode}': cellc imports merge_mode 'concat'`,
    );
  const inner = c.at("layer");
  const kind = inner.at("class_name").string();
  if (!KINDS.includes(kind))
    throw inner.fail(`Bidirectional wraps a ${kind}: cellc imports LSTM, GRU and SimpleRNN`);
  const forward = recurrent(inner, kind as KerasKind, inner.at("config"), true, layerName(c));
  const back = c.at("backward_layer");
  if (!back.isMissing) {
    const backward = recurrent(
      back,
      kind as KerasKind,
      back.at("config"),
      true,
      layerName(c),
      true,
    );
    const key = (l: KerasLayer) =>
      JSON.stringify([l.units, l.activation, l.recurrentActivation, l.useBias, l.resetAfter]);
    if (key(backward) !== key(forward))
      throw back.fail(
        "the backward layer computes another cell than the forward one, which one cellc cell cannot",
      );
  }
  return forward;
}

function recurrent(
  entry: JsonView,
  kind: KerasKind,
  c: JsonView,
  bidirectional: boolean,
  name: string,
  backward = false,
): KerasLayer {
  if (c.at("go_backwards").boolean(false) !== backward)
    throw c.fail(
      `layer '${name}' has go_backwards ${!backward}: its outputs come in reversed time order, which cellc does not write`,
    );
  if (c.at("return_state").boolean(false))
    throw c.fail(`layer '${name}' returns its states, which a Sequential model cannot pass on`);
  return {
    view: entry,
    name,
    kind,
    bidirectional,
    units: c.at("units").count(MAX_UNITS),
    activation: kerasActivation(c.at("activation"), "tanh"),
    recurrentActivation:
      kind === "SimpleRNN" ? null : kerasActivation(c.at("recurrent_activation"), "hard_sigmoid"),
    useBias: c.at("use_bias").boolean(true),
    resetAfter: kind === "GRU" && c.at("reset_after").boolean(false),
    returnSequences: c.at("return_sequences").boolean(false),
    timeMajor: c.at("time_major").boolean(false),
  };
}
