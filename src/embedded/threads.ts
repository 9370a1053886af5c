// `create(weights, { threads: N })`: one forward split across worker threads by batch rows. Rows
// never meet inside a stack (every product, state and activation is per row), so a piece of the
// batch runs through all layers and directions on one thread and nothing is exchanged between
// steps: one wake-up and one wait per forward. The kernels compute each row the same way in any
// piece of two rows or more (see compiler/wasm/gemm.ts), so results equal one thread's bit for bit.
//
// Data goes through one SharedArrayBuffer (a region per piece: input, states, output, lengths), control
// through a small Int32Array; threads block in Atomics.wait, so `forward` stays synchronous, as
// PyTorch's is. The batch is cut into a few pieces per thread and each thread claims the next
// piece when done, so a thread whose core is busy elsewhere does less. The workers run the
// generated module itself, imported by a bootstrap that reports a failure to load instead of
// leaving the caller waiting. Node only: elsewhere `threads` is ignored.
import type { CellMeta } from "../shared/meta.js";
import { type PieceLayout, RowCopier, maxPieces, pieceLayout, planPieces } from "./slices.js";
import type { Stack, StackOptions, StackResult, StackShape } from "./stack-types.js";
import { checkFloats, checkInitialState, initialStates, sequenceDims } from "./stack-checks.js";
import { forwardLengths } from "./lengths.js";
import { withMemory } from "./out-of-memory.js";
import { reentered } from "./stack.js";
import { DataError } from "../shared/data-error.js";
import { MAX_THREADS } from "../shared/limits.js";
import type { Tensor } from "../shared/tensor.js";
import {
  Control,
  type MakeStack,
  type ThreadData,
  pieceOptions,
  type WorkerThreads,
  workerThreads,
} from "./thread-protocol.js";
import { runClaimedPieces } from "./thread-worker.js";

export interface ThreadPool {
  /** As Stack.forward: `initial` and `options` (ForwardOptions) as the caller gave them, checked. */
  forward(input: Tensor, initial?: unknown, options?: unknown): StackResult<Float32Array>;
  /** Stops the worker threads; the model runs on one thread afterwards. */
  close(): void;
}

// CommonJS, evaluated by each worker: imports the module and serves, or reports why it cannot.
const BOOTSTRAP = `const { workerData } = require("node:worker_threads");
import(workerData.url).then(
  (m) => m.serveThread(workerData),
  (e) => {
    const control = new Int32Array(workerData.control);
    workerData.port.postMessage(String((e && e.message) || e));
    Atomics.store(control, ${Control.FAILED}, 1);
    Atomics.add(control, ${Control.READY}, 1);
    Atomics.notify(control, ${Control.READY});
  },
);`;

/** Reads `options.threads`: an integer from 1 to MAX_THREADS, 1 when absent. */
function threadCount(options: StackOptions): number {
  const n = options.threads ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS) {
    const detail = `expected an integer from 1 to ${MAX_THREADS}, found ${String(n)}`;
    throw new DataError("options.threads", null, detail);
  }
  return n;
}

/**
 * A pool of `options.threads - 1` workers beside the calling thread, or null when one thread is
 * asked for, the platform has no worker threads or the module no URL to start them from.
 * `stack` runs what is not worth splitting.
 */
export function createThreadPool(
  meta: CellMeta,
  weights: ReadonlyMap<string, Tensor<Float32Array>>,
  options: StackOptions,
  moduleUrl: string | undefined,
  stack: Stack<Float32Array>,
  makeStack: MakeStack,
): ThreadPool | null {
  const threads = threadCount(options);
  const wt = threads > 1 && moduleUrl ? workerThreads() : null;
  if (!wt || !moduleUrl) return null;
  const words = Control.FIRST_PIECE + 2 * maxPieces(threads);
  const control = new Int32Array(new SharedArrayBuffer(4 * words));
  const workers = startWorkers(wt, threads - 1, moduleUrl, control, weights, options);
  const batchFirst = options.batchFirst ?? false;
  const inputSource = options.sources?.input ?? "input";
  const lengthsSource = options.sources?.lengths ?? "lengths";
  // Pieces are seq-first; a batch-first stack needs a seq-first twin on the calling thread.
  let pieceStack: Stack<Float32Array> | null = batchFirst ? null : stack;
  let data = new SharedArrayBuffer(0);
  let started = false;
  let closed = false;

  const failure = (): Error => {
    const messages = workers.flatMap((w, k) => {
      const m = wt.receiveMessageOnPort(w.port);
      return m ? [`worker thread ${k + 1}: ${String(m.message)}`] : [];
    });
    Atomics.store(control, Control.FAILED, 0);
    return new Error(messages.join("\n") || "a worker thread failed");
  };

  const close = (): void => {
    if (closed) return;
    closed = true;
    Atomics.store(control, Control.STOPPED, 1);
    Atomics.add(control, Control.GENERATION, 1);
    Atomics.notify(control, Control.GENERATION);
    for (const w of workers) {
      w.port.close();
      void w.handle.terminate();
    }
  };

  /** Blocks until every worker has built its stack; a worker that could not start closes the pool. */
  const awaitStart = (): void => {
    if (started) return;
    for (let ready; (ready = Atomics.load(control, Control.READY)) < workers.length;) {
      Atomics.wait(control, Control.READY, ready);
    }
    started = true;
    if (Atomics.load(control, Control.FAILED)) {
      const error = failure();
      close();
      throw error;
    }
  };

  /** Makes the shared floats at least `floats` long, telling the workers before they need it. */
  const reserve = (floats: number): Float32Array => {
    if (data.byteLength < 4 * floats) {
      data = new SharedArrayBuffer(4 * floats);
      for (const w of workers) w.port.postMessage(data);
    }
    return new Float32Array(data);
  };

  const forward = (
    input: Tensor,
    initial: unknown,
    forwardOptions: unknown,
  ): StackResult<Float32Array> => {
    const { T, B, I } = sequenceDims(input, batchFirst, inputSource);
    const given = initialStates(meta, initial, options);
    const lengths = forwardLengths(forwardOptions, T, B, lengthsSource);
    const shape = stack.describe(I);
    const F = shape.outFeatures;
    const rows = closed || T === 0 ? [B] : planPieces(T, B, I, F, threads);
    if (rows.length === 1) return stack.forward(input, initial, forwardOptions);
    const count = shape.layers * shape.directions;
    meta.states.forEach((s, i) => {
      const t = given.get(s.name);
      if (t) checkInitialState(t, s.name, count, B, shape.stateSizes[i]!, options);
    });
    awaitStart();

    const layouts: PieceLayout[] = [];
    for (const n of rows) layouts.push(pieceLayout(layouts.at(-1)?.end ?? 0, T, n, I, shape));
    const end = layouts.at(-1)!.end;
    checkFloats(end, inputSource, "the threads' shared buffer");
    const floats = withMemory(inputSource, "for the threads' shared buffer", () => reserve(end));
    const copier = new RowCopier(floats, T, B, batchFirst);
    // Lengths are integers: an Int32Array on the same shared memory holds them.
    const ints = lengths && new Int32Array(floats.buffer, 0, floats.length);
    const firstRow = rows.map((_, k) => rows.slice(0, k).reduce((a, b) => a + b, 0));
    rows.forEach((n, k) => {
      const at = layouts[k]!;
      copier.sequence(input.data, at.input, firstRow[k]!, n, I, true);
      meta.states.forEach((s, i) => {
        const t = given.get(s.name);
        if (t) copier.state(t.data, at.states[i]!, firstRow[k]!, n, shape.stateSizes[i]!, true);
        else floats.fill(0, at.states[i]!, at.states[i]! + count * n * shape.stateSizes[i]!);
      });
      if (lengths && ints) ints.set(lengths.subarray(firstRow[k]!, firstRow[k]! + n), at.lengths);
      Atomics.store(control, Control.FIRST_PIECE + 2 * k, at.input);
      Atomics.store(control, Control.FIRST_PIECE + 2 * k + 1, n);
    });
    Atomics.store(control, Control.STEPS, T);
    Atomics.store(control, Control.FEATURES, I);
    Atomics.store(control, Control.PIECES, rows.length);
    Atomics.store(control, Control.LENGTHS, lengths ? 1 : 0);
    Atomics.store(control, Control.NEXT, 0);
    Atomics.store(control, Control.PENDING, workers.length);
    Atomics.add(control, Control.GENERATION, 1);
    Atomics.notify(control, Control.GENERATION);
    try {
      pieceStack ??= makeStack(weights, pieceOptions(options.sources));
      runClaimedPieces(pieceStack, control, floats);
    } finally {
      // Every worker leaves the generation before the next one resets the pieces.
      for (let left; (left = Atomics.load(control, Control.PENDING)) > 0;) {
        Atomics.wait(control, Control.PENDING, left);
      }
    }
    if (Atomics.load(control, Control.FAILED)) throw failure();
    return gather(meta, copier, layouts, rows, firstRow, T, B, shape, batchFirst);
  };

  let busy = false;
  const pool: ThreadPool = {
    close,
    forward(input, initial, forwardOptions) {
      // The shared floats and control words serve one forward at a time.
      if (busy) throw reentered();
      busy = true;
      try {
        return forward(input, initial, forwardOptions);
      } finally {
        busy = false;
      }
    },
  };
  // A model dropped without close() must not leave its threads behind.
  poolsToStop.register(pool, close);
  return pool;
}

/** Stops the workers of pools that were garbage-collected (`close` holds no reference to its pool). */
const poolsToStop = new FinalizationRegistry<() => void>((close) => close());

function startWorkers(
  wt: WorkerThreads,
  count: number,
  url: string,
  control: Int32Array,
  weights: ReadonlyMap<string, Tensor<Float32Array>>,
  options: StackOptions,
) {
  // Own copies, so that cloning for the workers does not copy whole files the tensors view.
  const entries = [...weights].map(
    ([name, t]) => [name, { data: t.data.slice(), shape: t.shape }] as const,
  );
  return Array.from({ length: count }, () => {
    const { port1, port2 } = new wt.MessageChannel();
    const workerData: ThreadData = {
      url,
      control: control.buffer as SharedArrayBuffer,
      data: new SharedArrayBuffer(0),
      port: port2,
      weights: entries,
      sources: options.sources,
    };
    const handle = new wt.Worker(BOOTSTRAP, { eval: true, workerData, transferList: [port2] });
    // Idle workers must not keep the process alive.
    handle.unref();
    return { handle, port: port1 };
  });
}

/** The pieces' outputs and final states, put together as one forward returns them. */
function gather(
  meta: CellMeta,
  copier: RowCopier,
  layouts: readonly PieceLayout[],
  rows: readonly number[],
  firstRow: readonly number[],
  T: number,
  B: number,
  shape: StackShape,
  batchFirst: boolean,
): StackResult<Float32Array> {
  const F = shape.outFeatures;
  const count = shape.layers * shape.directions;
  const output = new Float32Array(T * B * F);
  const states = meta.states.map((_, i) => {
    const size = shape.stateSizes[i]!;
    const t: Tensor<Float32Array> = {
      data: new Float32Array(count * B * size),
      shape: [count, B, size],
    };
    return t;
  });
  rows.forEach((n, k) => {
    const at = layouts[k]!;
    copier.sequence(output, at.output, firstRow[k]!, n, F, false);
    states.forEach((t, i) => {
      copier.state(t.data, at.states[i]!, firstRow[k]!, n, shape.stateSizes[i]!, false);
    });
  });
  const named = meta.states.map((s, i) => [s.name, states[i]!] as const);
  return {
    output: { data: output, shape: batchFirst ? [B, T, F] : [T, B, F] },
    // fromEntries makes own properties, so a state named `__proto__` is kept as one.
    states: Object.fromEntries(named),
  };
}
