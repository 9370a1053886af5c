// The values the .pt unpickler can build: Python's plain data (None, bools, ints, floats, strings,
// tuples, lists, dicts) and the three torch things a state_dict holds (an allowed global, a storage,
// a tensor view of one). Nothing here is callable: a "global" is a name from the allow-list.
import type { FloatKind } from "./float-codec.js";

export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | PyFloat
  | string
  | PyTuple
  | PyList
  | PyDict
  | PyGlobal
  | PyStorage
  | PyTensor;

/** Python's float, apart from ints (plain numbers, or bigints past 2^53) so 1.0 is no size. */
export interface PyFloat {
  readonly type: "float";
  readonly value: number;
}

export interface PyTuple {
  readonly type: "tuple";
  readonly items: readonly PyValue[];
}

/** Lists and dicts are filled in place (APPEND, SETITEMS) after they are made, as in Python. */
export interface PyList {
  readonly type: "list";
  readonly items: PyValue[];
}

export interface PyDict {
  readonly type: "dict";
  /** By dictKey(key), in insertion order; the entry keeps the key as the pickle gave it. */
  readonly entries: Map<string, { readonly key: PyValue; readonly value: PyValue }>;
}

/** A global the allow-list admits, by its dotted name (`collections.OrderedDict`). */
export interface PyGlobal {
  readonly type: "global";
  readonly name: string;
}

/** A storage from a persistent id: `data/<key>` of the archive, `numel` items of `dtype`. */
export interface PyStorage {
  readonly type: "storage";
  readonly key: string;
  /** torch's name for the dtype (`float32`, `int64`), for messages. */
  readonly dtype: string;
  /** How to read its items, or null for a dtype cellc does not read (integers, bool, complex). */
  readonly kind: FloatKind | null;
  readonly numel: number;
}

/** A tensor as _rebuild_tensor_v2 describes it: a strided view of a storage, read later. */
export interface PyTensor {
  readonly type: "tensor";
  /** Whether _rebuild_tensor_v2 was given metadata (flags such as a negated view): refused. */
  readonly metadata: boolean;
  readonly storage: PyStorage;
  readonly offset: number;
  readonly shape: readonly number[];
  readonly stride: readonly number[];
}

/** What a value is, for messages: Python's type name, or the global's name. */
export function describe(v: PyValue): string {
  if (v === null) return "None";
  switch (typeof v) {
    case "boolean":
      return "a bool";
    case "bigint":
      return "an int";
    case "number":
      return "an int";
    case "string":
      return "a str";
    default:
      return v.type === "global" ? `'${shortName(v.name)}'` : `a ${v.type}`;
  }
}

/** A name from a file, cut to a length a message can carry. */
export function shortName(name: string, room = 80): string {
  return name.length > room ? `${name.slice(0, room - 3)}...` : name;
}

/**
 * The identity of a dict key: equal for keys Python finds equal (1, 1.0 and True), or null for a
 * key a state_dict never has (a tuple, a list...): refusing those keeps key hashing flat, so a
 * hostile file cannot make it walk a deep or shared structure.
 */
export function dictKey(key: PyValue): string | null {
  if (key === null) return "None";
  switch (typeof key) {
    case "string":
      return `s${key}`;
    case "boolean":
      return key ? "n1" : "n0";
    case "number":
    case "bigint":
      return `n${String(key)}`;
    default:
      if (key.type !== "float") return null;
      return Number.isInteger(key.value) ? `n${key.value}` : `f${key.value}`;
  }
}

/** `v` if it is an int (a bool is not one here), else null. */
export function asInt(v: PyValue): number | bigint | null {
  return typeof v === "bigint" || typeof v === "number" ? v : null;
}

/** A dict key as messages show it. */
export function showKey(key: PyValue): string {
  return typeof key === "string" ? `'${shortName(key)}'` : describe(key);
}
