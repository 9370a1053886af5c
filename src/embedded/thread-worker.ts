// A worker thread of a pool (threads.ts): builds its own stack from the weights, then claims and
// runs pieces of each forward until the pool stops. Generated modules export this as
// `serveThread`, which the bootstrap in threads.ts calls.
import { pieceLayout, runPiece } from "./slices.js";
import type { Stack } from "./stack-types.js";
import {
  Control,
  type MakeStack,
  type ThreadData,
  pieceOptions,
  workerThreads,
} from "./thread-protocol.js";

export function serveWorker(data: ThreadData, makeStack: MakeStack): void {
  const control = new Int32Array(data.control);
  const fail = (e: unknown) => {
    data.port.postMessage(e instanceof Error ? e.message : String(e));
    Atomics.store(control, Control.FAILED, 1);
  };
  let stack: Stack<Float32Array>;
  try {
    // Weight-only work (packing, folded constants) happens here, off the calling thread.
    stack = makeStack(new Map(data.weights), pieceOptions(data.sources));
  } catch (e) {
    fail(e);
    Atomics.add(control, Control.READY, 1);
    Atomics.notify(control, Control.READY);
    return;
  }
  const wt = workerThreads();
  let floats = new Float32Array(data.data);
  let seen = Atomics.load(control, Control.GENERATION);
  Atomics.add(control, Control.READY, 1);
  Atomics.notify(control, Control.READY);
  for (;;) {
    Atomics.wait(control, Control.GENERATION, seen);
    seen = Atomics.load(control, Control.GENERATION);
    if (Atomics.load(control, Control.STOPPED)) return;
    // A larger buffer is posted before the generation that needs it.
    for (let m; (m = wt?.receiveMessageOnPort(data.port));) {
      floats = new Float32Array(m.message as SharedArrayBuffer);
    }
    try {
      runClaimedPieces(stack, control, floats);
    } catch (e) {
      fail(e);
    }
    if (Atomics.sub(control, Control.PENDING, 1) === 1) {
      Atomics.notify(control, Control.PENDING);
    }
  }
}

/** Claims pieces of the current forward one at a time and runs them, until none is left. */
export function runClaimedPieces(
  stack: Stack<Float32Array>,
  control: Int32Array,
  floats: Float32Array,
): void {
  const T = Atomics.load(control, Control.STEPS);
  const I = Atomics.load(control, Control.FEATURES);
  const pieces = Atomics.load(control, Control.PIECES);
  const withLengths = Atomics.load(control, Control.LENGTHS) === 1;
  const shape = stack.describe(I);
  for (let k; (k = Atomics.add(control, Control.NEXT, 1)) < pieces;) {
    const base = Atomics.load(control, Control.FIRST_PIECE + 2 * k);
    const rows = Atomics.load(control, Control.FIRST_PIECE + 2 * k + 1);
    const layout = pieceLayout(base, T, rows, I, shape);
    runPiece(stack, floats, layout, { T, rows, I, withLengths }, shape);
  }
}
