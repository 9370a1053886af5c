// The allow-list of the .pt reader: the only globals a state_dict's pickle may name, and what
// REDUCE, BUILD and persistent ids do with them, written here in TypeScript (the same set as
// torch.load(weights_only=True) admits for plain tensors). Any other global is refused by name as
// soon as the pickle names it; nothing a file names is ever imported or called.
import { DataError } from "../shared/data-error.js";
import type { FloatKind } from "./float-codec.js";
import type { PickleHooks } from "./pickle.js";
import {
  type PyDict,
  type PyStorage,
  type PyTensor,
  type PyValue,
  asInt,
  describe,
  shortName,
} from "./pickle-values.js";

const ORDERED_DICT = "collections.OrderedDict";
const REBUILD_TENSOR = "torch._utils._rebuild_tensor_v2";
const REBUILD_PARAMETER = "torch._utils._rebuild_parameter";

/**
 * torch's storage classes by name: the dtype each holds and how cellc reads it. The ones cellc
 * does not read are still known, so a tensor of them is refused by its name rather than the file
 * by a global (as safetensors refuses an I64 tensor by name).
 */
const STORAGES: ReadonlyMap<string, { readonly dtype: string; readonly kind: FloatKind | null }> =
  new Map([
    ["torch.FloatStorage", { dtype: "float32", kind: "f32" }],
    ["torch.DoubleStorage", { dtype: "float64", kind: "f64" }],
    ["torch.HalfStorage", { dtype: "float16", kind: "f16" }],
    ["torch.BFloat16Storage", { dtype: "bfloat16", kind: "bf16" }],
    ["torch.LongStorage", { dtype: "int64", kind: null }],
    ["torch.IntStorage", { dtype: "int32", kind: null }],
    ["torch.ShortStorage", { dtype: "int16", kind: null }],
    ["torch.CharStorage", { dtype: "int8", kind: null }],
    ["torch.ByteStorage", { dtype: "uint8", kind: null }],
    ["torch.BoolStorage", { dtype: "bool", kind: null }],
    ["torch.ComplexFloatStorage", { dtype: "complex64", kind: null }],
    ["torch.ComplexDoubleStorage", { dtype: "complex128", kind: null }],
  ]);

const ALLOWED = new Set([ORDERED_DICT, REBUILD_TENSOR, REBUILD_PARAMETER, ...STORAGES.keys()]);

type Fail = (detail: string) => DataError;

/** The hooks for one file; `source` names it in errors. Storages are shared by key. */
export function torchHooks(source: string): PickleHooks {
  const fail: Fail = (detail) => new DataError(source, null, detail);
  const storages = new Map<string, PyStorage>();
  return {
    global: (module, name) => allowGlobal(`${module}.${name}`, fail),
    persistentLoad: (pid) => loadStorage(pid, storages, fail),
    reduce: (callable, args) => call(callable, args, fail),
    build: (target, state) => {
      // An OrderedDict's state is its attributes (a state_dict's `_metadata`): not weights.
      const isDict = (v: PyValue) => typeof v === "object" && v?.type === "dict";
      if (!isDict(target) || !(isDict(state) || state === null)) {
        throw fail(`cannot set the state of ${describe(target)}: a state_dict holds only tensors`);
      }
    },
  };
}

function allowGlobal(name: string, fail: Fail): PyValue {
  if (ALLOWED.has(name)) return { type: "global", name };
  const whole = name.startsWith("torch.nn.") || name.startsWith("__torch__.");
  const hint = whole ? " (this file holds a whole model: save model.state_dict() instead)" : "";
  throw fail(`refuses to load '${shortName(name)}': a state_dict holds only tensors${hint}`);
}

/** persistent_load: ('storage', storage class, key, location, numel), as torch.save writes it. */
function loadStorage(pid: PyValue, storages: Map<string, PyStorage>, fail: Fail): PyStorage {
  const items = typeof pid === "object" && pid?.type === "tuple" ? pid.items : [];
  const [tag, cls, key, , numel] = items;
  const type = typeof cls === "object" && cls?.type === "global" ? STORAGES.get(cls.name) : null;
  const count = numel === undefined ? null : asInt(numel);
  if (items.length !== 5 || tag !== "storage" || typeof key !== "string" || !type) {
    throw fail("a persistent id that is not ('storage', class, key, location, numel)");
  }
  if (typeof count !== "number" || count < 0) {
    throw fail(`storage '${shortName(key)}' has ${String(count)} items: expected a size`);
  }
  const storage: PyStorage = { type: "storage", key, ...type, numel: count };
  const known = storages.get(key);
  if (known === undefined) storages.set(key, storage);
  else if (known.dtype !== storage.dtype || known.numel !== storage.numel) {
    const [a, b] = [known, storage].map((s) => `${s.numel} ${s.dtype}`);
    throw fail(`storage '${shortName(key)}' is declared as ${a} and as ${b}`);
  }
  return known ?? storage;
}

/** REDUCE: only the three callables a state_dict uses, each implemented here. */
function call(callable: PyValue, args: PyValue, fail: Fail): PyValue {
  const name = typeof callable === "object" && callable?.type === "global" ? callable.name : null;
  const list = typeof args === "object" && args?.type === "tuple" ? args.items : null;
  if (name === null || list === null) {
    throw fail(`cannot call ${describe(callable)}: a state_dict calls only its allowed globals`);
  }
  switch (name) {
    case ORDERED_DICT:
      if (list.length > 0) throw fail(`OrderedDict() with ${list.length} arguments`);
      return { type: "dict", entries: new Map() } satisfies PyDict;
    case REBUILD_TENSOR:
      return rebuildTensor(list, fail);
    case REBUILD_PARAMETER: {
      // nn.Parameter(data, requires_grad): the tensor is the weights.
      const [data, requiresGrad, hooks] = list;
      if (list.length !== 3 || typeof data !== "object" || data?.type !== "tensor") {
        throw fail("_rebuild_parameter expects (tensor, requires_grad, backward_hooks)");
      }
      checkFlagAndHooks(requiresGrad, hooks, "_rebuild_parameter", fail);
      return data;
    }
    default:
      throw fail(`'${shortName(name)}' is never called in a state_dict`);
  }
}

/** _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata]). */
function rebuildTensor(args: readonly PyValue[], fail: Fail): PyTensor {
  const [storage, offset, size, stride, requiresGrad, hooks, metadata] = args;
  const expected = "(storage, offset, size, stride, requires_grad, backward_hooks[, metadata])";
  if (args.length < 6 || args.length > 7) {
    throw fail(`_rebuild_tensor_v2 expects ${expected}, found ${args.length} arguments`);
  }
  if (typeof storage !== "object" || storage?.type !== "storage") {
    throw fail(`_rebuild_tensor_v2 expects a storage, found ${describe(storage ?? null)}`);
  }
  checkFlagAndHooks(requiresGrad, hooks, "_rebuild_tensor_v2", fail);
  return {
    type: "tensor",
    storage,
    offset: whole(offset ?? null, "offset", fail),
    shape: ints(size ?? null, "size", fail),
    stride: ints(stride ?? null, "stride", fail),
    // Metadata marks views that need more than their bytes (a negated view): refused by name.
    metadata: metadata !== undefined && metadata !== null && !isEmptyDict(metadata),
  };
}

function checkFlagAndHooks(
  flag: PyValue | undefined,
  hooks: PyValue | undefined,
  f: string,
  fail: Fail,
) {
  if (typeof flag !== "boolean") throw fail(`${f} expects requires_grad to be a bool`);
  if (!isEmptyDict(hooks ?? null)) throw fail(`${f} expects no backward hooks`);
}

function isEmptyDict(v: PyValue): boolean {
  return typeof v === "object" && v?.type === "dict" && v.entries.size === 0;
}

/** A tuple of ints that are exact numbers (sizes and strides); their ranges are checked later. */
function ints(v: PyValue, what: string, fail: Fail): number[] {
  if (typeof v !== "object" || v?.type !== "tuple") {
    throw fail(`_rebuild_tensor_v2 expects a ${what} tuple, found ${describe(v)}`);
  }
  return v.items.map((item) => whole(item, what, fail));
}

/** An int as a number; one past 2^53 becomes an infinity, which readTensor refuses by name. */
function whole(v: PyValue, what: string, fail: Fail): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return v > 0n ? Infinity : -Infinity;
  throw fail(`_rebuild_tensor_v2 expects ${what} to be made of ints, found ${describe(v)}`);
}
