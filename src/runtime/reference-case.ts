// Loads a reference case folder in the fixtures format (case.json, weights.safetensors,
// input.npy, initial states, expected outputs). See test/fixtures/README.md.
import { join } from "node:path";
import { DataError } from "../shared/data-error.js";
import type { Tolerance } from "./compare.js";
import { readNpy } from "./npy.js";
import { readDataFile } from "./read-file.js";
import { readSafetensors } from "./safetensors.js";
import type { Tensor } from "../shared/tensor.js";

export interface ReferenceCase {
  readonly dir: string;
  readonly description: string;
  readonly cell: string;
  readonly reference: string;
  readonly batchFirst: boolean;
  readonly activations: Readonly<Record<string, string>>;
  readonly weights: Map<string, Tensor>;
  readonly weightsFile: string;
  readonly input: Tensor;
  readonly inputFile: string;
  /** Initial states by state name, and the files they came from. */
  readonly states: Readonly<Record<string, Tensor>>;
  readonly stateFiles: Readonly<Record<string, string>>;
  /** Expected tensors: `output` and one per state name. */
  readonly expected: Readonly<Record<string, Tensor>>;
  readonly tolerance: Tolerance;
}

type Json = { readonly [key: string]: unknown };

function field<T>(
  json: Json,
  key: string,
  check: (v: unknown) => v is T,
  what: string,
  file: string,
): T {
  const v = json[key];
  if (!check(v)) throw new DataError(file, null, `field '${key}' must be ${what}`);
  return v;
}

const isString = (v: unknown): v is string => typeof v === "string";
const isObject = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const isStringMap = (v: unknown): v is Record<string, string> =>
  isObject(v) && Object.values(v).every(isString);
const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

export function loadReferenceCase(dir: string): ReferenceCase {
  const file = join(dir, "case.json");
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(readDataFile(file)));
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(file, null, `not valid JSON: ${(e as Error).message}`);
  }
  if (!isObject(json)) throw new DataError(file, null, "expected a JSON object");
  const module = field(json, "module", isObject, "an object", file);
  const tol = field(json, "tolerance", isObject, "an object", file);
  const states = isStringMap(json["states"]) ? json["states"] : {};
  const expectedFiles = field(json, "expected", isStringMap, "an object of file names", file);
  const weightsFile = join(dir, field(json, "weights", isString, "a file name", file));
  const inputFile = join(dir, field(json, "input", isString, "a file name", file));
  const stateFiles = Object.fromEntries(Object.entries(states).map(([k, f]) => [k, join(dir, f)]));
  return {
    dir,
    description: isString(json["description"]) ? json["description"] : "",
    cell: field(json, "cell", isString, "a cell name", file),
    reference: isString(json["reference"]) ? json["reference"] : "",
    batchFirst: module["batch_first"] === true,
    activations: isStringMap(json["activations"]) ? json["activations"] : {},
    weights: readSafetensors(weightsFile),
    weightsFile,
    input: readNpy(inputFile),
    inputFile,
    states: Object.fromEntries(Object.entries(stateFiles).map(([k, f]) => [k, readNpy(f)])),
    stateFiles,
    expected: Object.fromEntries(
      Object.entries(expectedFiles).map(([k, f]) => [k, readNpy(join(dir, f))]),
    ),
    tolerance: {
      atol: field(tol, "atol", isNumber, "a number", file),
      rtol: field(tol, "rtol", isNumber, "a number", file),
    },
  };
}
