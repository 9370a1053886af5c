// Reference cases in the fixtures format (see test/fixtures/README.md): case.json's settings and
// file names, and the loaded case. Browser-safe: parsing needs only case.json's bytes;
// node-reference-case.ts reads a whole case folder from disk.
import { DataError } from "../shared/data-error.js";
import type { Tolerance } from "./compare.js";
import type { Tensor } from "../shared/tensor.js";

/** The files of a case as case.json names them, relative to the case folder. */
export interface CaseFiles {
  readonly weights: string;
  readonly input: string;
  /** Initial states by state name. */
  readonly states: Readonly<Record<string, string>>;
  /** Expected tensors: `output` and one per state name. */
  readonly expected: Readonly<Record<string, string>>;
}

/** What case.json says, checked. */
export interface CaseSpec {
  readonly description: string;
  readonly cell: string;
  readonly reference: string;
  readonly batchFirst: boolean;
  readonly activations: Readonly<Record<string, string>>;
  readonly tolerance: Tolerance;
  readonly files: CaseFiles;
}

/** A case with its tensors loaded; the `*File` fields are the paths they were read from. */
export interface ReferenceCase extends Omit<CaseSpec, "files"> {
  readonly dir: string;
  readonly weights: Map<string, Tensor>;
  readonly weightsFile: string;
  readonly input: Tensor;
  readonly inputFile: string;
  /** Initial states by state name, and the files they came from. */
  readonly states: Readonly<Record<string, Tensor>>;
  readonly stateFiles: Readonly<Record<string, string>>;
  /** Expected tensors: `output` and one per state name. */
  readonly expected: Readonly<Record<string, Tensor>>;
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

/** Checks the bytes of a case.json; `source` names it in errors. */
export function parseCaseJson(bytes: Uint8Array, source: string): CaseSpec {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new DataError(source, null, `not valid JSON: ${(e as Error).message}`);
  }
  if (!isObject(json)) throw new DataError(source, null, "expected a JSON object");
  const module = field(json, "module", isObject, "an object", source);
  const tol = field(json, "tolerance", isObject, "an object", source);
  const expected = field(json, "expected", isStringMap, "an object of file names", source);
  return {
    description: isString(json["description"]) ? json["description"] : "",
    cell: field(json, "cell", isString, "a cell name", source),
    reference: isString(json["reference"]) ? json["reference"] : "",
    batchFirst: module["batch_first"] === true,
    activations: isStringMap(json["activations"]) ? json["activations"] : {},
    tolerance: {
      atol: field(tol, "atol", isNumber, "a number", source),
      rtol: field(tol, "rtol", isNumber, "a number", source),
    },
    files: {
      weights: field(json, "weights", isString, "a file name", source),
      input: field(json, "input", isString, "a file name", source),
      states: isStringMap(json["states"]) ? json["states"] : {},
      expected,
    },
  };
}
