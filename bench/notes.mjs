// The prose of results.md: how the numbers were taken, and what a reader must know to read them.
import { TOLERANCE } from "./report.mjs";

/** @param {boolean} quick */
export function methodText(quick) {
  return [
    quick
      ? "**Quick mode** (`--quick`): a smoke test with ~0.15 s per row; the numbers are noisy."
      : "Per row: warm-up (at least 3 runs and 0.3 s, or one run if a run is slower than 2 s), then whole runs timed with `performance.now()` until ~1.5 s and at least 5 runs are spent; the table gives the **median**. The timed runs of one case (shape and cell) go in 5 rounds of ~0.3 s per row, each round visiting every implementation in turn, so a slow spell of the shared host hits all rows of a case alike rather than one of them. Rows whose runs are so slow that the 8 s cap stops them before 5 runs are marked *capped*; a row whose very first run exceeds 8 s reports that single run (*capped, cold*: at that scale JIT warm-up is negligible).",
    "One Node process runs everything, one implementation at a time (never two at once). All computation is float32 (the tutorial baseline computes in float64, as plain JS numbers do), zero initial state, one thread unless the row says otherwise.",
    "Weights are the same seeded random values everywhere, drawn in PyTorch's layout and range U(-1/sqrt(H), 1/sqrt(H)); inputs are U(-1, 1). Each implementation receives them in its own layout, converted before timing.",
    "A timed run is one forward pass over the whole (T, B, I) sequence, including reading the output back as a Float32Array (ONNX Runtime returns one; tfjs rows call `dataSync()`).",
    "STREAM: B = 1, I = H = 32, 1000 steps, **one call per step**, the state (h, c) returned by one call passed into the next, and every step's output read; the table gives the median per step and per 1000-step run.",
    "FLOPs count a multiply-add as 2: LSTM and LN-LSTM 2·4H·(I+H)·B·T, GRU and GRU-RB 2·3H·(I+H)·B·T, LSTMP (projection P = H/2) (2·4H·(I+P) + 2·P·H)·B·T. Element-wise work is not counted, layer norm's included, so a variant's GFLOP/s compare with its plain cell's as times do.",
    '"× ORT 1 thread" is throughput relative to ONNX Runtime with one thread for the same cell (> 1 is faster than ORT).',
    `"max abs diff vs cellc" compares each row's full output sequence with the \`cellc, default target\` row, once per shape; above ${TOLERANCE} is flagged ✗ (LN-LSTM: above 0.001, see the notes).`,
    "ONNX Runtime: onnxruntime-node CPU provider, a model with one `LSTM` (or `GRU`: `linear_before_reset = 1` for GRU, 0 for GRU-RB) node built in code (opset 14, IR 8, weights as initializers), `intraOpNumThreads` 1 or 2, `interOpNumThreads` 1, sequential execution, all graph optimisations.",
    "tfjs: `@tensorflow/tfjs-layers` `lstm({ units: H, returnSequences: true, returnState: true, recurrentActivation: 'sigmoid' })` (GRU-RB: `gru` with the same options) via `model.predict(x, { batchSize: B })` on batch-first input; cpu backend (plain JS) and wasm backend (XNNPACK, SIMD; tfjs turns off wasm threads in Node). The wasm backend's rows run after all others: growing its WebAssembly memory detaches an ArrayBuffer, after which V8 checks every typed-array access in the process for detachment, slowing typed-array JavaScript measured later by about 20%.",
    "tutorial-style JS: `bench/baselines/tutorial.mjs`, nested arrays and helper functions as a blog post would write it; a batch runs as B separate sequences.",
    "Compile times are taken first, in the fresh process, as a `cellc compile` command runs: compile() is the front end and the passes; generateModule writes the module (with prettier, as the CLI does, and without).",
    "cellc: the built package's public API: `compile(text, { file })`, `generateModule(optIR, { source, passes, target })`, `importKernel(code)`, then `create(weights, options).forward(input, states)`.",
  ];
}

/** The text above the variants' table. */
export function variantsText() {
  return [
    "Each variant's time against its plain cell's, for cellc's default target on one thread: per shape the four kernels are prepared together and timed in turns as the rows of one case are, but for three times as long and in 30 rounds (so these medians come from their own timed runs and may differ a little from the rows above). A variant does the same multiply-adds as its plain cell; the last column is what its arithmetic alone predicts: (product FLOPs + the element-wise FLOPs it adds) / product FLOPs, per step and sample.",
    "",
    "- LN-LSTM / LSTM: the products are the LSTM's (8H·(I+H) FLOPs: W_ih x for all steps before the time loop, W_hh h each step). Layer norm adds three normalisations over 4H (W_ih x, also before the time loop), 4H (W_hh h) and H (c') values, counted as 7 FLOPs a value (2 reduction adds for the mean and the variance, then subtract, square, divide, scale, shift): 63H, so 1 + 63/(8·(I+H)). The LSTM's own sigmoid and tanh are in both times and in neither count.",
    "- GRU-RB / GRU: the same 6H·(I+H) product FLOPs, but the recurrent product comes as two: W_hr and W_hz with h (2H rows, one product after merge-matvec), then W_hn with r·h (H rows), which waits for r. The only added arithmetic is r·h (H multiplies): 1 + 1/(6·(I+H)).",
  ];
}

/**
 * @param {{ failures: string[], sameTargets: boolean | null, threadsRead: boolean | null,
 *   capped: string[], cpu: { wallSec: number, othersCoreSec: number } }} facts
 */
export function notesText(facts) {
  const notes = [];
  if (facts.sameTargets)
    notes.push(
      '`target: "js"` and the default target generate identical code in this build (the option is not implemented yet), so those two rows measure the same kernel.',
    );
  if (facts.threadsRead === false)
    notes.push(
      'The generated module never reads a `threads` option in this build, so the "2 threads" cellc row runs on one thread.',
    );
  notes.push(
    "LSTMP has no ONNX Runtime or tfjs equivalent (ONNX's LSTM has peepholes but no projection): cellc only. It is skipped for S0, where H = 1 leaves no P with 0 < P < H (PyTorch's rule).",
  );
  notes.push(
    "GRU is compared with ONNX Runtime's `GRU` op (PyTorch's r, z, n gate rows reordered to ONNX's z, r, h); tfjs has no GRU that applies the reset gate after the product (its `gru` rejects `resetAfter: true`) and the tutorial baseline is LSTM-only.",
  );
  notes.push(
    "LN-LSTM (`cells/layernorm_lstm.cell`: layer norm on W_ih x, on W_hh h and on c', no biases) has no peer: neither ONNX Runtime nor tfjs has a layer-normalized LSTM operator. GRU-RB (`cells/gru_reset_before.cell`: the reset gate applied before the recurrent product, as Cho et al. 2014) is exactly ONNX's `GRU` with `linear_before_reset = 0` and tfjs' `gru` (one bias, b_ih + b_hh, which is the same since b_hn stays outside the product). Both run on S1 and S2 only.",
  );
  notes.push(
    "LN-LSTM's outputs are flagged only above 0.001: with these random weights the cell itself amplifies rounding. In float64, moving every weight by half a float32 unit moves its S2 output by 1.1e-4 (S1: 5e-6; the LSTM's: 2e-8), presumably because layer norm rescales W_hh h to unit variance whatever the size of h. Against the float64 reference at S2, cellc's default target (float32 throughout) is 1.1e-6 off after the first step and 4.8e-4 after the last; its JavaScript target (float64 between stores) 9e-8 and 4.3e-5.",
  );
  notes.push(
    "tfjs' GRU-RB rows are slow on the cpu backend because tfjs-layers' `GRUCell.call` splits its recurrent kernel into [H, 2H] and [H, H] column blocks at every step, which that backend copies element by element: measured alone after warm-up, one such split took 24 ms at H = 128 and 92 ms at H = 256, against 4 and 19 ms for the step's whole matMul.",
  );
  notes.push(
    "Small shapes (S0, STREAM) mostly measure per-call overhead: tensor wrapping, argument checks and the native-call (or tfjs engine) round trip, not arithmetic.",
  );
  if (facts.capped.length > 0)
    notes.push(
      `Capped rows (slow runs, so fewer samples; marked in the tables): ${facts.capped.join("; ")}.`,
    );
  notes.push(...noiseNotes(facts.cpu));
  for (const f of facts.failures) notes.push(`Not measured: ${f}.`);
  return notes;
}

/**
 * How much CPU others took during the run (cpu-watch.mjs), and the hypervisor.
 * @param {{ wallSec: number, othersCoreSec: number, stolenCoreSec: number | null }} cpu
 */
export function noiseNotes(cpu) {
  const notes = [];
  const { wallSec, othersCoreSec } = cpu;
  const share = othersCoreSec / wallSec; // in cores
  notes.push(
    `Other processes used ${othersCoreSec.toFixed(0)} core-seconds during this ${wallSec.toFixed(0)} s run (${share.toFixed(2)} cores on average)${share > 0.2 ? ": the machine was shared, so expect noise, most in the 2-thread rows" : ""}.`,
  );
  const { stolenCoreSec } = cpu;
  if (stolenCoreSec !== null) {
    const stolen = stolenCoreSec / wallSec;
    notes.push(
      `The hypervisor took ${stolenCoreSec.toFixed(0)} core-seconds from this virtual machine (steal time, ${stolen.toFixed(2)} cores on average)${stolen > 0.05 ? ": other guests shared the physical cores, so expect noise" : ""}.`,
    );
  }
  return notes;
}
