// Reference cases in the fixtures format (see test/fixtures/README.md, and EXTENSIONS.md there for
// the optional "lengths" file): case.json's settings and file names, and the loaded case. Browser-safe: parsing needs only case.json's bytes;
// node-reference-case.ts reads a whole case folder from disk. Keys of "states", "expected" and
// "activations" are a user's names (`constructor` too): they come back as null-prototype records.
import { DataError } from "../shared/data-error.js";
import type { Tolerance } from "./compare.js";
import { parseJsonText } from "./json-text.js";
import { ownRecord } from "./own-record.js";
import type { Tensor } from "../shared/tensor.js";

/** The files of a case as case.json names them, relative to the case folder. */
export interface CaseFiles {
  readonly weights: string;
  readonly input: string;
  /** Initial states by state name. */
  readonly states: Readonly<Record<string, string>>;
  /** Per-sample sequence lengths, (B,) integers; null when every sample has all steps. */
  readonly lengths: string | null;
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
  /** Per-sample sequence lengths and the file they came from, or null. */
  readonly lengths: Int32Array | null;
  readonly lengthsFile: string | null;
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
  const v = own(json, key);
  if (!check(v)) throw new DataError(file, null, `field '${key}' must be ${what}`);
  return v;
}

/** A field of the file, never one inherited from Object.prototype (`constructor`). */
const own = (json: Json, key: string): unknown =>
  Object.hasOwn(json, key) ? json[key] : undefined;
const isString = (v: unknown): v is string => typeof v === "string";
const isObject = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const isStringMap = (v: unknown): v is Record<string, string> =>
  isObject(v) && Object.values(v).every(isString);
const isTolerance = (v: unknown): v is number =>
  typeof v === "number" && Number.isFinite(v) && v >= 0;

/** An optional object of names to strings, as a null-prototype record (empty when absent). */
function names(json: Json, key: string, file: string): Readonly<Record<string, string>> {
  if (own(json, key) == null) return ownRecord([]);
  return ownRecord(Object.entries(field(json, key, isStringMap, "an object of names", file)));
}

/** Checks the bytes of a case.json; `source` names it in errors. */
export function parseCaseJson(bytes: Uint8Array, source: string): CaseSpec {
  const fail = (detail: string): DataError => new DataError(source, null, detail);
  const json = parseJsonText(new TextDecoder().decode(bytes), fail);
  if (!isObject(json)) throw new DataError(source, null, "expected a JSON object");
  const module = field(json, "module", isObject, "an object", source);
  const tol = field(json, "tolerance", isObject, "an object", source);
  const expected = field(json, "expected", isStringMap, "an object of file names", source);
  const text = (key: string): string => {
    const v = own(json, key);
    return isString(v) ? v : "";
  };
  return {
    description: text("description"),
    cell: field(json, "cell", isString, "a cell name", source),
    reference: text("reference"),
    batchFirst: own(module, "batch_first") === true,
    activations: names(json, "activations", source),
    tolerance: {
      atol: field(tol, "atol", isTolerance, "a non-negative number", source),
      rtol: field(tol, "rtol", isTolerance, "a non-negative number", source),
    },
    files: {
      weights: field(json, "weights", isString, "a file name", source),
      input: field(json, "input", isString, "a file name", source),
      states: names(json, "states", source),
      lengths:
        own(json, "lengths") == null
          ? null
          : field(json, "lengths", isString, "a file name", source),
      expected: ownRecord(Object.entries(expected)),
    },
  };
}
