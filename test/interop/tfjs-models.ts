// Random tfjs-layers models for the import tests (seeded): Sequential stacks of LSTM, GRU and
// SimpleRNN layers, Bidirectional or not, with random activations, biases, dropout layers and
// last-layer return_sequences; saved with tfjs' own save (withSaveHandler) and written out as
// model.json plus two weight shards, the layout tfjs' file handlers write.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";
import { rng } from "../helpers/random.js";

export const KERAS_ACTIVATIONS = [
  "tanh",
  "sigmoid",
  "hardSigmoid",
  "relu",
  "relu6",
  "linear",
  "elu",
  "selu",
  "softplus",
  "softsign",
  "swish",
  "mish",
  "gelu",
  "gelu_new",
] as const;

export interface TfjsCase {
  readonly seed: number;
  /** The model as built (tfjs 4.22 cannot load a gelu_new it saved: it looks for 'geluNew'). */
  readonly model: tfl.LayersModel;
  readonly geluNew: boolean;
  readonly T: number;
  readonly B: number;
  readonly I: number;
  readonly summary: string;
}

type Kind = "lstm" | "gru" | "simpleRNN";
type Layer = Parameters<tfl.Sequential["add"]>[0];

/** Builds the case's model with random weights; writes model.json and its shards into `dir`. */
export async function writeTfjsCase(seed: number, dir: string): Promise<TfjsCase> {
  await tf.setBackend("cpu");
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const kind = pick<Kind>(["lstm", "gru", "simpleRNN"]);
  const layers = 1 + Math.floor(random() * 3);
  const bidirectional = random() < 0.5;
  const [T, B, I, H] = [
    1 + Math.floor(random() * 5),
    1 + Math.floor(random() * 3),
    1 + Math.floor(random() * 4),
    1 + Math.floor(random() * 4),
  ];
  const activation = pick(KERAS_ACTIVATIONS);
  const recurrentActivation = pick(KERAS_ACTIVATIONS);
  const useBias = random() < 0.75;
  const lastSequences = random() < 0.7;
  const dropout = random() < 0.3;
  const model = tfl.sequential();
  for (let k = 0; k < layers; k++) {
    const options = {
      units: H,
      activation,
      useBias,
      returnSequences: k < layers - 1 || lastSequences,
      kernelInitializer: "zeros",
      recurrentInitializer: "zeros",
      ...(kind === "simpleRNN" ? {} : { recurrentActivation }),
    } as const;
    const input = k === 0 ? { inputShape: [T, I] } : {};
    const make = tfl.layers[kind] as (args: object) => Layer;
    model.add(
      bidirectional
        ? tfl.layers.bidirectional({
            layer: make(options) as tfl.RNN,
            mergeMode: "concat",
            ...input,
          })
        : make({ ...options, ...input }),
    );
    if (dropout && k < layers - 1) model.add(tfl.layers.dropout({ rate: 0.5 }));
  }
  const values = model.weights.map((w) => {
    const shape = w.shape as number[];
    const n = shape.reduce((a, b) => a * b, 1);
    return tf.tensor(
      Array.from({ length: n }, () => random() - 0.5),
      shape,
    );
  });
  model.setWeights(values);
  tf.dispose(values);
  let artifacts: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  writeArtifacts(artifacts!, dir);
  const summary = `${layers}x ${bidirectional ? "bidirectional " : ""}${kind} T${T} B${B} I${I} H${H} ${activation}/${recurrentActivation}${useBias ? " bias" : ""}${lastSequences ? " sequences" : " last step"}${dropout ? " dropout" : ""}`;
  const geluNew =
    activation === "gelu_new" || (kind !== "simpleRNN" && recurrentActivation === "gelu_new");
  return { seed, model, geluNew, T, B, I, summary };
}

/** model.json (the fields of tfjs' getModelJSONForModelArtifacts) and the weights in two shards. */
export function writeArtifacts(a: tf.io.ModelArtifacts, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const data = new Uint8Array(new tf.io.CompositeArrayBuffer(a.weightData!).slice());
  const half = Math.floor(data.length / 8) * 4;
  writeFileSync(join(dir, "group1-shard1of2.bin"), data.subarray(0, half));
  writeFileSync(join(dir, "group1-shard2of2.bin"), data.subarray(half));
  const json = {
    modelTopology: a.modelTopology,
    format: a.format,
    generatedBy: a.generatedBy,
    convertedBy: a.convertedBy ?? null,
    weightsManifest: [
      { paths: ["group1-shard1of2.bin", "group1-shard2of2.bin"], weights: a.weightSpecs },
    ],
  };
  writeFileSync(join(dir, "model.json"), JSON.stringify(json));
}

/** The model tfjs loads back from `dir`, as a user's tf.loadLayersModel would. */
export async function loadTfjs(dir: string): Promise<tfl.LayersModel> {
  const json = JSON.parse(readFileSync(join(dir, "model.json"), "utf8")) as tf.io.ModelJSON;
  return tfl.loadLayersModel({
    load: () =>
      tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs = manifest.flatMap((g) => g.weights);
        const parts = manifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p))));
        const bytes = new Uint8Array(Buffer.concat(parts));
        return [specs, bytes.buffer];
      }),
  });
}

export { tf };
