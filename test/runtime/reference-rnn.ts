// Hand-written float64 nn.LSTM (with proj_size) and nn.GRU, straight from PyTorch's documented
// equations: an oracle independent of the compiler, for random shapes the fixtures do not cover.
// With lengths, each sample runs alone over its own steps, as pack_padded_sequence makes it.
import type { Tensor } from "../../src/shared/tensor.js";

export interface RnnConfig {
  readonly kind: "lstm" | "gru";
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly projSize: number;
  readonly layers: number;
  readonly bidirectional: boolean;
}

type Weights = ReadonlyMap<string, Tensor>;
type Vec = number[];

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function matvec(w: Tensor, x: Vec, rowStart = 0, rows = w.shape[0]!): Vec {
  const cols = w.shape[1]!;
  const out: Vec = [];
  for (let r = rowStart; r < rowStart + rows; r++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += w.data[r * cols + j]! * x[j]!;
    out.push(s);
  }
  return out;
}

function bias(weights: Weights, name: string, start: number, n: number): Vec {
  const b = weights.get(name);
  return Array.from({ length: n }, (_, i) => (b ? b.data[start + i]! : 0));
}

function lstmStep(w: Weights, sfx: string, H: number, x: Vec, h: Vec, c: Vec): [Vec, Vec] {
  const gate = (k: number) => {
    const a = matvec(w.get(`weight_ih${sfx}`)!, x, k * H, H);
    const b = matvec(w.get(`weight_hh${sfx}`)!, h, k * H, H);
    const bi = bias(w, `bias_ih${sfx}`, k * H, H);
    const bh = bias(w, `bias_hh${sfx}`, k * H, H);
    return a.map((v, j) => v + b[j]! + bi[j]! + bh[j]!);
  };
  const i = gate(0).map(sigmoid);
  const f = gate(1).map(sigmoid);
  const g = gate(2).map(Math.tanh);
  const o = gate(3).map(sigmoid);
  const cNext = c.map((cj, j) => f[j]! * cj + i[j]! * g[j]!);
  const hFull = cNext.map((cj, j) => o[j]! * Math.tanh(cj));
  const proj = w.get(`weight_hr${sfx}`);
  return [proj ? matvec(proj, hFull) : hFull, cNext];
}

function gruStep(w: Weights, sfx: string, H: number, x: Vec, h: Vec): Vec {
  const part = (name: string, v: Vec, k: number) =>
    matvec(w.get(`${name}${sfx}`)!, v, k * H, H).map(
      (a, j) => a + bias(w, name.replace("weight", "bias") + sfx, k * H, H)[j]!,
    );
  const r = part("weight_ih", x, 0).map((a, j) => sigmoid(a + part("weight_hh", h, 0)[j]!));
  const z = part("weight_ih", x, 1).map((a, j) => sigmoid(a + part("weight_hh", h, 1)[j]!));
  const hn = part("weight_hh", h, 2);
  const n = part("weight_ih", x, 2).map((a, j) => Math.tanh(a + r[j]! * hn[j]!));
  return n.map((nj, j) => (1 - z[j]!) * nj + z[j]! * h[j]!);
}

/**
 * Sequence-first input [T][B][features]; returns output [T][B][D*H_out] and final states. Sample
 * b has lengths[b] steps (all T without lengths); its outputs after them are zeros.
 */
export function referenceRnn(
  cfg: RnnConfig,
  w: Weights,
  xs: Vec[][],
  h0?: Vec[][],
  c0?: Vec[][],
  lengths?: readonly number[],
): { output: Vec[][]; h: Vec[][]; c: Vec[][] } {
  const H = cfg.hiddenSize;
  const Hout = cfg.projSize > 0 ? cfg.projSize : H;
  const D = cfg.bidirectional ? 2 : 1;
  const T = xs.length;
  const B = xs[0]!.length;
  const hN: Vec[][] = [];
  const cN: Vec[][] = [];
  let layerInput = xs;
  for (let l = 0; l < cfg.layers; l++) {
    const out: Vec[][] = Array.from({ length: T }, () => Array.from({ length: B }, () => []));
    for (let d = 0; d < D; d++) {
      const sfx = `_l${l}${d === 1 ? "_reverse" : ""}`;
      const k = l * D + d;
      const hs = Array.from({ length: B }, (_, b) => h0?.[k]?.[b] ?? new Array(Hout).fill(0));
      const cs = Array.from({ length: B }, (_, b) => c0?.[k]?.[b] ?? new Array(H).fill(0));
      for (let b = 0; b < B; b++) {
        const n = lengths?.[b] ?? T;
        for (let s = 0; s < n; s++) {
          const t = d === 1 ? n - 1 - s : s;
          if (cfg.kind === "lstm")
            [hs[b], cs[b]] = lstmStep(w, sfx, H, layerInput[t]![b]!, hs[b]!, cs[b]!);
          else hs[b] = gruStep(w, sfx, H, layerInput[t]![b]!, hs[b]!);
          out[t]![b]!.push(...hs[b]!);
        }
        for (let t = n; t < T; t++) out[t]![b]!.push(...new Array<number>(Hout).fill(0));
      }
      hN.push(hs);
      cN.push(cs);
    }
    layerInput = out;
  }
  return { output: layerInput, h: hN, c: cN };
}
