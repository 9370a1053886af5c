// What generated modules call: the roots of the bundle every module embeds. Nothing in
// src/embedded is imported by a generated module; scripts/bundle-runtime.mjs pastes the code
// these names reach (here and in src/shared) into each module, and wasm-heap.ts's into modules
// with WebAssembly kernels. Compiler code that needs the same semantics (the float64 reference)
// imports the files directly, so both run one implementation.
export { createStack } from "./stack.js";
export type { ForwardOptions, LayerKernel, LayerRun, Stack, StackOptions } from "./stack-types.js";
export type { Sizes } from "./bind-sizes.js";
export { createThreadPool } from "./threads.js";
export { serveWorker } from "./thread-worker.js";
export type { ThreadData } from "./thread-protocol.js";
export { DataError } from "../shared/data-error.js";
export { float32Weights } from "./weights.js";
export type { FloatArray, Tensor } from "../shared/tensor.js";
export type { CellMeta } from "../shared/meta.js";
