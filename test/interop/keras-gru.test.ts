// GRU(reset_after=True), the Keras 2 default that tfjs-layers 4.22 cannot build or load: model.json
// written as tensorflowjs_converter writes a Keras model (InputLayer first, weights named
// gru/gru_cell/kernel, a [2, 3H] bias, Bidirectional with its backward_layer), imported, and
// checked against Keras' GRUCell equations computed with tfjs-core ops. Stacks, both directions,
// with and without biases, last step only or every step.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { importTfjs } from "../../src/interop/tfjs-import/index.js";
import { importedFiles } from "../../src/interop/stack/index.js";
import { rng } from "../helpers/random.js";
import { kernelFor } from "./imported-kernel.js";

interface GruWeights {
  readonly kernel: tf.Tensor2D;
  readonly recurrent: tf.Tensor2D;
  readonly bias: tf.Tensor2D | null;
}

const ACT: Readonly<Record<string, (x: tf.Tensor) => tf.Tensor>> = {
  sigmoid: tf.sigmoid,
  tanh: tf.tanh,
  hard_sigmoid: (x) => tf.clipByValue(tf.add(tf.mul(x, 0.2), 0.5), 0, 1),
  relu: tf.relu,
};

/** Keras' GRUCell with reset_after=True over (B, T, I), from the last step to the first if `back`. */
function kerasGru(
  x: tf.Tensor3D,
  w: GruWeights,
  act: string,
  recAct: string,
  back: boolean,
): tf.Tensor3D {
  const [B, T] = x.shape;
  const H = w.recurrent.shape[0];
  let h: tf.Tensor2D = tf.zeros([B, H]);
  const outs: tf.Tensor2D[] = new Array<tf.Tensor2D>(T);
  for (let s = 0; s < T; s++) {
    const t = back ? T - 1 - s : s;
    const xt = tf.reshape(tf.slice(x, [0, t, 0], [B, 1, -1]), [B, -1]) as tf.Tensor2D;
    let mx = tf.matMul(xt, w.kernel);
    let mh = tf.matMul(h, w.recurrent);
    if (w.bias) {
      mx = tf.add(mx, tf.slice(w.bias, [0, 0], [1, -1]));
      mh = tf.add(mh, tf.slice(w.bias, [1, 0], [1, -1]));
    }
    const [xz, xr, xh] = tf.split(mx, 3, 1);
    const [hz, hr, hh] = tf.split(mh, 3, 1);
    const z = ACT[recAct]!(tf.add(xz!, hz!));
    const r = ACT[recAct]!(tf.add(xr!, hr!));
    const cand = ACT[act]!(tf.add(xh!, tf.mul(r, hh!)));
    h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), cand)) as tf.Tensor2D;
    outs[t] = h;
  }
  return tf.stack(outs, 1) as tf.Tensor3D;
}

interface Case {
  readonly seed: number;
  readonly layers: number;
  readonly bidirectional: boolean;
  readonly useBias: boolean;
  readonly lastSequences: boolean;
  readonly act: string;
  readonly recAct: string;
}

const CASES: Case[] = [
  {
    seed: 1,
    layers: 1,
    bidirectional: false,
    useBias: true,
    lastSequences: true,
    act: "tanh",
    recAct: "sigmoid",
  },
  {
    seed: 2,
    layers: 2,
    bidirectional: false,
    useBias: true,
    lastSequences: true,
    act: "tanh",
    recAct: "hard_sigmoid",
  },
  {
    seed: 3,
    layers: 1,
    bidirectional: true,
    useBias: true,
    lastSequences: true,
    act: "relu",
    recAct: "sigmoid",
  },
  {
    seed: 4,
    layers: 2,
    bidirectional: true,
    useBias: false,
    lastSequences: false,
    act: "tanh",
    recAct: "sigmoid",
  },
  {
    seed: 5,
    layers: 3,
    bidirectional: false,
    useBias: true,
    lastSequences: false,
    act: "tanh",
    recAct: "sigmoid",
  },
];

/** The config of one Keras 2 GRU layer, as the converter copies it from the .h5 file. */
function gruConfig(name: string, c: Case, H: number, last: boolean, backwards = false): object {
  return {
    name,
    trainable: true,
    dtype: "float32",
    return_sequences: !last || c.lastSequences,
    return_state: false,
    go_backwards: backwards,
    stateful: false,
    unroll: false,
    time_major: false,
    units: H,
    activation: c.act,
    recurrent_activation: c.recAct,
    use_bias: c.useBias,
    kernel_initializer: { class_name: "GlorotUniform", config: { seed: null } },
    recurrent_initializer: { class_name: "Orthogonal", config: { gain: 1.0, seed: null } },
    bias_initializer: { class_name: "Zeros", config: {} },
    kernel_regularizer: null,
    recurrent_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    recurrent_constraint: null,
    bias_constraint: null,
    dropout: 0.0,
    recurrent_dropout: 0.0,
    implementation: 2,
    reset_after: true,
  };
}

describe("Keras GRU with reset_after=True", () => {
  const root = mkdtempSync(join(tmpdir(), "cellc-keras-"));

  it.each(CASES)("matches Keras' equations: %o", async (c) => {
    await tf.setBackend("cpu");
    const random = rng(900 + c.seed);
    const [T, B, I, H] = [4, 2, 3, 3];
    const D = c.bidirectional ? 2 : 1;
    const uniform = (shape: number[]) =>
      tf.tensor(
        Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random() - 0.5),
        shape,
      );
    const layers: object[] = [
      {
        class_name: "InputLayer",
        config: {
          batch_input_shape: [null, T, I],
          dtype: "float32",
          sparse: false,
          ragged: false,
          name: "input_1",
        },
      },
    ];
    const specs: { name: string; shape: number[]; dtype: string }[] = [];
    const blobs: Float32Array[] = [];
    const weights: GruWeights[][] = [];
    for (let k = 0; k < c.layers; k++) {
      const inSize = k === 0 ? I : D * H;
      const last = k === c.layers - 1;
      const name = k === 0 ? "gru" : `gru_${k}`;
      const dirs = Array.from({ length: D }, (_, d): GruWeights => {
        const w = {
          kernel: uniform([inSize, 3 * H]) as tf.Tensor2D,
          recurrent: uniform([H, 3 * H]) as tf.Tensor2D,
          bias: c.useBias ? (uniform([2, 3 * H]) as tf.Tensor2D) : null,
        };
        const prefix = c.bidirectional
          ? `bidirectional_${k}/${d === 0 ? "forward" : "backward"}_${name}/gru_cell`
          : `${name}/gru_cell`;
        for (const [role, t] of [
          ["kernel", w.kernel],
          ["recurrent_kernel", w.recurrent],
          ["bias", w.bias],
        ] as const) {
          if (!t) continue;
          specs.push({ name: `${prefix}/${role}`, shape: t.shape, dtype: "float32" });
          blobs.push(t.dataSync() as Float32Array);
        }
        return w;
      });
      weights.push(dirs);
      const config = gruConfig(name, c, H, last);
      layers.push(
        c.bidirectional
          ? {
              class_name: "Bidirectional",
              config: {
                name: `bidirectional_${k}`,
                trainable: true,
                dtype: "float32",
                merge_mode: "concat",
                layer: { class_name: "GRU", config },
                backward_layer: {
                  class_name: "GRU",
                  config: gruConfig(`backward_${name}`, c, H, last, true),
                },
              },
            }
          : { class_name: "GRU", config },
      );
    }
    const dir = join(root, String(c.seed));
    const bin = new Uint8Array(blobs.reduce((n, b) => n + b.byteLength, 0));
    let at = 0;
    for (const b of blobs) {
      bin.set(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), at);
      at += b.byteLength;
    }
    const json = {
      format: "layers-model",
      generatedBy: "keras v2.15.0",
      convertedBy: "TensorFlow.js Converter v4.22.0",
      modelTopology: {
        keras_version: "2.15.0",
        backend: "tensorflow",
        model_config: { class_name: "Sequential", config: { name: "sequential", layers } },
        training_config: null,
      },
      weightsManifest: [{ paths: ["group1-shard1of1.bin"], weights: specs }],
    };
    (await import("node:fs")).mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "model.json"), JSON.stringify(json));
    writeFileSync(join(dir, "group1-shard1of1.bin"), bin);

    // Keras: each layer's directions over the one below's outputs, concatenated.
    const x = uniform([B, T, I]) as tf.Tensor3D;
    let seq = x;
    for (const dirs of weights) {
      const outs = dirs.map((w, d) => kerasGru(seq, w, c.act, c.recAct, d === 1));
      seq = tf.concat(outs, 2) as tf.Tensor3D;
    }
    const fwdLast = tf.slice(seq, [0, T - 1, 0], [B, 1, H]);
    const want = c.lastSequences
      ? seq
      : D === 1
        ? fwdLast
        : tf.concat([fwdLast, tf.slice(seq, [0, 0, H], [B, 1, H])], 2);

    const { stack } = importTfjs(readFileSync(join(dir, "model.json")), "model.json", (n) =>
      readFileSync(join(dir, n)),
    );
    expect(stack.cell).toMatchObject({ kind: "gru", resetAfter: true });
    const files = importedFiles(stack);
    const kernel = await kernelFor(files.cellText);
    const got = kernel
      .create(files.weights, { batchFirst: true })
      .forward({ data: x.dataSync() as Float32Array, shape: [B, T, I] });
    const L = c.layers;
    const mine = c.lastSequences
      ? got.output.data
      : Float32Array.from({ length: B * D * H }, (_, i) => {
          const [b, d, h] = [Math.floor(i / (D * H)), Math.floor(i / H) % D, i % H];
          return got.states["h"]!.data[(((L - 1) * D + d) * B + b) * H + h]!;
        });
    const w = want.dataSync();
    expect(mine.length).toBe(w.length);
    for (let i = 0; i < w.length; i++) expect(Math.abs(mine[i]! - w[i]!)).toBeLessThanOrEqual(1e-5);
  });
});
