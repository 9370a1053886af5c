// The public runtime API (`cellc/runtime`), browser-safe: tensors, .npy, .safetensors and .pt as bytes,
// PyTorch-style stacks, case.json and tensor comparison. Nothing reachable from here may import a
// node: module or use Node globals (browser-entry.test.ts checks); reading files is in node.ts.
export {
  type FloatArray,
  type Tensor,
  formatShape,
  shapeSize,
  tensor,
  zeros,
} from "../shared/tensor.js";
export { DataError } from "../shared/data-error.js";
export { type IntegerTensor, parseIntegerNpy, parseNpy, serializeNpy } from "./npy.js";
export { parseSafetensors, serializeSafetensors } from "./safetensors.js";
export { parsePt } from "./pt.js";
export { parseWeights } from "./weights-file.js";
export type { CellMeta, ParamMeta, SlotMeta, ValueMeta } from "../shared/meta.js";
export {
  type Shape,
  type Size,
  evalSize,
  formatSize,
  formatSymbolicShape,
} from "../shared/size.js";
export { runStack } from "../embedded/stack.js";
export type {
  ForwardOptions,
  LayerKernel,
  LayerRun,
  StackOptions,
  StackResult,
} from "../embedded/stack-types.js";
export { type Comparison, type Tolerance, compareTensors } from "./compare.js";
export {
  type CaseFiles,
  type CaseSpec,
  type ReferenceCase,
  parseCaseJson,
} from "./reference-case.js";
