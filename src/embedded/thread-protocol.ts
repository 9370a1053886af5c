// What the calling thread and the worker threads of a pool (threads.ts, thread-worker.ts) share:
// the control words, the data a worker starts with, and the worker_threads API, typed here
// because generated modules import nothing.
import type { Stack, StackOptions } from "./stack-types.js";
import type { Tensor } from "../shared/tensor.js";

/** The part of node:worker_threads the pool uses. */
export interface WorkerThreads {
  readonly Worker: new (code: string, options: WorkerOptions) => WorkerHandle;
  readonly MessageChannel: new () => { port1: Port; port2: Port };
  receiveMessageOnPort(port: Port): { message: unknown } | undefined;
}

interface WorkerOptions {
  readonly eval: true;
  readonly workerData: ThreadData;
  readonly transferList: Port[];
}

export interface WorkerHandle {
  unref(): void;
  terminate(): unknown;
}

export interface Port {
  postMessage(value: unknown): void;
  close(): void;
}

/** Node's worker_threads, or null where there is none (browsers, other runtimes). */
export function workerThreads(): WorkerThreads | null {
  type Process = { getBuiltinModule?: (id: string) => unknown };
  const proc = (globalThis as { process?: Process }).process;
  const module = proc?.getBuiltinModule?.("node:worker_threads");
  return (module as WorkerThreads | undefined) ?? null;
}

/** What a worker thread starts with (structured-cloned; the port is transferred). */
export interface ThreadData {
  readonly url: string;
  readonly control: SharedArrayBuffer;
  readonly data: SharedArrayBuffer;
  readonly port: Port;
  readonly weights: readonly (readonly [string, Tensor<Float32Array>])[];
  readonly sources: StackOptions["sources"];
}

/** The options of a piece's stack: seq-first, one thread, the caller's labels for errors. */
export function pieceOptions(sources: StackOptions["sources"]): StackOptions {
  return sources ? { sources } : {};
}

export type MakeStack = (
  weights: ReadonlyMap<string, Tensor<Float32Array>>,
  options: StackOptions,
) => Stack<Float32Array>;

/**
 * Indexes of the control words (an Int32Array). A forward publishes its pieces (batch-row
 * ranges, each with a region of the shared floats), bumps GENERATION, and every thread claims
 * pieces through NEXT until none is left; PENDING counts the workers still in the generation.
 */
export const Control = {
  GENERATION: 0,
  PENDING: 1,
  READY: 2,
  FAILED: 3,
  STOPPED: 4,
  STEPS: 5,
  FEATURES: 6,
  NEXT: 7,
  PIECES: 8,
  /** 1 when the pieces carry sequence lengths (each in its region, as Int32 words), else 0. */
  LENGTHS: 9,
  /** Then per piece k: its region's first float at FIRST_PIECE + 2k, its rows after it. */
  FIRST_PIECE: 10,
} as const;
