// The public runtime API (`cellc/runtime`): tensors, .npy and .safetensors files, PyTorch-style
// stacks, reference cases and tensor comparison. Nothing here depends on the compiler.
export { type FloatArray, type Tensor, formatShape, shapeSize, tensor, zeros } from "../shared/tensor.js";
export { DataError } from "../shared/data-error.js";
export { parseNpy, readNpy, serializeNpy, writeNpy } from "./npy.js";
export {
  parseSafetensors,
  readSafetensors,
  readWeights,
  serializeSafetensors,
  writeSafetensors,
} from "./safetensors.js";
export type { CellMeta, ParamMeta, SlotMeta, ValueMeta } from "../shared/meta.js";
export { type Shape, type Size, evalSize, formatSize, formatSymbolicShape } from "../shared/size.js";
export {
  type LayerKernel,
  type LayerRun,
  type StackOptions,
  type StackResult,
  runStack,
} from "../embedded/stack.js";
export { type Comparison, type Tolerance, compareTensors } from "./compare.js";
export { type ReferenceCase, loadReferenceCase } from "./reference-case.js";
