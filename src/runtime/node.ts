// The Node entry (`cellc/runtime/node`): everything of the browser-safe `cellc/runtime`, plus the
// functions that need node:fs (reading and writing tensor files, loading reference-case folders).
export * from "./index.js";
export {
  readIntegerNpy,
  readLengths,
  readNpy,
  readPt,
  readSafetensors,
  readWeights,
  writeNpy,
  writeSafetensors,
} from "./node-files.js";
export { loadReferenceCase } from "./node-reference-case.js";
