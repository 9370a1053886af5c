// Node only: loads a reference case folder (case.json, weights.safetensors or .pt, input.npy, initial
// states, sequence lengths, expected outputs). The checks of case.json itself are browser-safe, in reference-case.ts.
// State names are a user's: every record keyed by them has a null prototype (own-record.ts).
import { join } from "node:path";
import { readDataFile, readLengths, readNpy, readWeightsMap } from "./node-files.js";
import { ownRecord } from "./own-record.js";
import { type ReferenceCase, parseCaseJson } from "./reference-case.js";

const mapValues = <T, U>(o: Readonly<Record<string, T>>, f: (v: T) => U): Record<string, U> =>
  ownRecord(Object.entries(o).map(([k, v]) => [k, f(v)] as const));

export function loadReferenceCase(dir: string): ReferenceCase {
  const file = join(dir, "case.json");
  const { files, ...settings } = parseCaseJson(readDataFile(file), file);
  const path = (name: string): string => join(dir, name);
  const stateFiles = mapValues(files.states, path);
  const lengthsFile = files.lengths === null ? null : path(files.lengths);
  // Read in this order, so a case with several bad files reports the weights first.
  return {
    ...settings,
    dir,
    weights: readWeightsMap(path(files.weights)),
    weightsFile: path(files.weights),
    input: readNpy(path(files.input)),
    inputFile: path(files.input),
    states: mapValues(stateFiles, readNpy),
    stateFiles,
    lengths: lengthsFile === null ? null : readLengths(lengthsFile),
    lengthsFile,
    expected: mapValues(files.expected, (f) => readNpy(path(f))),
  };
}
