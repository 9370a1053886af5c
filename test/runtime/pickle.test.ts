// The pickle VM of the .pt reader: it builds Python's plain data from every opcode torch.save
// uses, refuses every other opcode and every malformed pickle through `fail`, stays within its
// bounds, and reaches outside plain data only through its hooks: a spy shows that a hostile
// pickle gets no further than naming its global, and the reader's sources hold no way to run code.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type PickleHooks, unpickle } from "../../src/runtime/pickle.js";
import type { PyValue } from "../../src/runtime/pickle-values.js";
import { torchHooks } from "../../src/runtime/torch-pickle.js";
import { readZipDirectory, readZipEntry } from "../../src/runtime/zip.js";
import { MAX_PICKLE_DEPTH, MAX_PICKLE_ITEMS } from "../../src/shared/limits.js";
import {
  EMPTY_DICT,
  MARK,
  NONE,
  PROTO2,
  SETITEMS,
  STOP,
  int,
  ops,
  pickle,
  str,
} from "./pt-bytes.js";

class Refused extends Error {}
const fail = (detail: string) => new Refused(detail);

/** Hooks that refuse everything: plain data needs none of them. */
const NO_HOOKS: PickleHooks = {
  global: () => {
    throw fail("global");
  },
  persistentLoad: () => {
    throw fail("persistent id");
  },
  reduce: () => {
    throw fail("reduce");
  },
  build: () => {
    throw fail("build");
  },
};

const run = (bytes: Uint8Array): PyValue => unpickle(bytes, NO_HOOKS, fail);
const refusal = (bytes: Uint8Array): string => {
  try {
    run(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(Refused);
    return (e as Error).message;
  }
  return expect.fail("no refusal");
};

/** Plain data as JSON-like values, for comparisons. */
function plain(v: PyValue): unknown {
  if (v === null || typeof v !== "object") return typeof v === "bigint" ? `${v}n` : v;
  switch (v.type) {
    case "float":
      return { float: v.value };
    case "tuple":
      return { tuple: v.items.map(plain) };
    case "list":
      return v.items.map(plain);
    case "dict":
      return Object.fromEntries(
        [...v.entries.values()].map((e) => [String(plain(e.key)), plain(e.value)]),
      );
    default:
      return v.type;
  }
}

const u32 = (n: number) => new Uint8Array(new Uint32Array([n]).buffer);

describe("unpickle on plain data", () => {
  it.each([
    [
      "BININT1, BININT2, BININT",
      pickle(MARK, int(7), 0x4d, 0x34, 0x12, int(-5), int(70000), 0x74),
      { tuple: [7, 0x1234, -5, 70000] },
    ],
    [
      "LONG1, small and past 2^53",
      pickle(MARK, 0x8a, 0, 0x8a, 1, 0xff, int(2n ** 60n), 0x74),
      { tuple: [0, -1, `${2n ** 60n}n`] },
    ],
    ["BINFLOAT (big-endian)", pickle(0x47, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0), { float: 1.5 }],
    [
      "strings of three lengths",
      pickle(MARK, str("héllo"), 0x8c, 2, 0x68, 0x69, 0x8d, 1, 0, 0, 0, 0, 0, 0, 0, 0x21, 0x74),
      { tuple: ["héllo", "hi", "!"] },
    ],
    [
      "None, True, False, tuples of 0 to 3",
      pickle(
        MARK,
        NONE,
        0x88,
        0x89,
        0x29,
        NONE,
        0x85,
        NONE,
        NONE,
        0x86,
        NONE,
        NONE,
        NONE,
        0x87,
        0x74,
      ),
      {
        tuple: [
          null,
          true,
          false,
          { tuple: [] },
          { tuple: [null] },
          { tuple: [null, null] },
          { tuple: [null, null, null] },
        ],
      },
    ],
    [
      "lists by APPEND, APPENDS and LIST",
      pickle(MARK, 0x5d, int(1), 0x61, MARK, int(2), int(3), 0x65, MARK, int(4), 0x6c, 0x74),
      { tuple: [[1, 2, 3], [4]] },
    ],
    [
      "dicts by SETITEM, SETITEMS and DICT",
      pickle(
        MARK,
        EMPTY_DICT,
        str("a"),
        int(1),
        0x73,
        MARK,
        int(2),
        NONE,
        SETITEMS,
        MARK,
        str("b"),
        0x88,
        0x64,
        0x74,
      ),
      { tuple: [{ a: 1, 2: null }, { b: true }] },
    ],
    [
      "the memo, DUP, POP and POP_MARK",
      pickle(
        MARK,
        str("x"),
        0x71,
        3,
        0x72,
        u32(70000),
        0x94,
        0x68,
        3,
        0x6a,
        u32(70000),
        0x68,
        2, // MEMOIZE used the next free index: the memo held 2 entries
        0x32,
        0x30,
        MARK,
        NONE,
        0x31,
        0x74,
      ),
      { tuple: ["x", "x", "x", "x"] },
    ],
    ["protocol 4 with a FRAME", ops(0x80, 4, 0x95, 1, 0, 0, 0, 0, 0, 0, 0, NONE, STOP), null],
  ])("builds %s", (_, bytes, want) => {
    expect(plain(run(bytes))).toEqual(want);
  });

  it("shares a memoized list, as Python does, without walking it", () => {
    // l = []; l.append(l); (l, l): a cycle is only data here.
    const v = run(pickle(0x5d, 0x71, 0, 0x68, 0, 0x61, 0x68, 0, 0x86));
    expect(v).toMatchObject({ type: "tuple" });
  });

  it("builds a million nested tuples without recursing", () => {
    const bytes = pickle(NONE, new Uint8Array(1_000_000).fill(0x85));
    expect(run(bytes)).toMatchObject({ type: "tuple" });
  });
});

describe("unpickle refusals", () => {
  const valid = pickle(EMPTY_DICT, MARK, str("a"), int(300), str("b"), 0x5d, SETITEMS);

  it("refuses every truncation of a valid pickle", () => {
    for (let n = 0; n < valid.length; n++)
      expect(refusal(valid.subarray(0, n))).toMatch(/data\.pkl, byte \d+: /);
  });

  it.each([
    ["NEWOBJ", ops(PROTO2, NONE, NONE, 0x81, STOP), "unsupported opcode 0x81 (NEWOBJ)"],
    [
      "an unknown opcode",
      ops(PROTO2, 0xff, STOP),
      "unsupported opcode 0xff: a state_dict never uses it",
    ],
    ["protocol 1", ops(0x80, 1, NONE, STOP), "unsupported pickle protocol 1"],
    ["bytes after STOP", ops(PROTO2, NONE, STOP, 0), "1 bytes follow STOP"],
    ["two values at STOP", ops(PROTO2, NONE, NONE, STOP), "STOP with 2 values and 0 marks open"],
    ["an empty memo entry", pickle(0x68, 9), "memo entry 9 is empty"],
    ["a pop below a mark", pickle(NONE, MARK, 0x85), "needs 1 values on the stack, found 0"],
    ["APPEND to a dict", pickle(EMPTY_DICT, NONE, 0x61), "APPEND to a dict: only lists take items"],
    [
      "SETITEMS with an odd count",
      pickle(EMPTY_DICT, MARK, NONE, SETITEMS),
      "odd number of values",
    ],
    ["a list as a key", pickle(EMPTY_DICT, 0x5d, NONE, 0x73), "a dict key that is a list"],
    [
      "a string past the end",
      ops(PROTO2, 0x58, u32(1000), STOP),
      "a string of 1000 bytes runs past the end",
    ],
    ["a string of bad UTF-8", pickle(0x8c, 1, 0xff), "not valid UTF-8"],
    ["a GLOBAL without its line end", ops(PROTO2, 0x63, 0x6f, 0x73), "has no end of line"],
    [
      "a mark too many",
      pickle(new Uint8Array(MAX_PICKLE_DEPTH + 1).fill(MARK)),
      `nested more than ${MAX_PICKLE_DEPTH} levels deep`,
    ],
  ])("refuses %s", (_, bytes, words) => {
    expect(refusal(bytes)).toContain(words);
  });

  it("refuses more values on the stack than the limit", () => {
    const bytes = pickle(new Uint8Array(MAX_PICKLE_ITEMS + 1).fill(NONE));
    expect(refusal(bytes)).toContain(`more than ${MAX_PICKLE_ITEMS} values on the stack`);
  });
});

/** The torch hooks with every call recorded: what a pickle asked for, in order. */
function spiedHooks(): { hooks: PickleHooks; calls: string[] } {
  const real = torchHooks("spy.pt");
  const calls: string[] = [];
  const name = (v: PyValue) => (typeof v === "object" && v?.type === "global" ? v.name : String(v));
  return {
    calls,
    hooks: {
      global: (module, n) => (calls.push(`global ${module}.${n}`), real.global(module, n)),
      persistentLoad: (pid) => (calls.push("persistent id"), real.persistentLoad(pid)),
      reduce: (callable, args) => (
        calls.push(`call ${name(callable)}`),
        real.reduce(callable, args)
      ),
      build: (target, state) => (calls.push("build"), real.build(target, state)),
    },
  };
}

function dataPkl(path: string): Uint8Array {
  const bytes = readFileSync(path);
  const entries = readZipDirectory(bytes, fail);
  const name = [...entries.keys()].find((n) => n.endsWith("/data.pkl"))!;
  return readZipEntry(bytes, entries.get(name)!, fail);
}

describe("unpickle reaches outside plain data only through its hooks", () => {
  const DIR = "test/fixtures-pt";

  it.each([
    ["os_system_reduce.pt", "global posix.system"],
    ["os_system.pt", "global os.system"],
    ["builtins_eval.pt", "global __builtin__.eval"],
    ["unknown_global.pt", "global mypackage.layers.Custom"],
    ["storage_global.pt", "global posix.system"],
  ])("stops %s at the global it names, before any call", (file, last) => {
    const { hooks, calls } = spiedHooks();
    expect(() => unpickle(dataPkl(join(DIR, "hostile", file)), hooks, fail)).toThrow(
      /refuses to load/,
    );
    expect(calls.at(-1)).toBe(last);
    expect(calls.filter((c) => c.startsWith("call ") && !c.includes("OrderedDict"))).toEqual([]);
  });

  it("calls only the allow-listed callables for a real state_dict", () => {
    const { hooks, calls } = spiedHooks();
    unpickle(dataPkl(join(DIR, "parameters.float32.pt")), hooks, fail);
    const called = new Set(calls.filter((c) => c.startsWith("call ")));
    expect([...called].sort()).toEqual([
      "call collections.OrderedDict",
      "call torch._utils._rebuild_parameter",
      "call torch._utils._rebuild_tensor_v2",
    ]);
  });

  it("holds no means of running code in the reader's sources", () => {
    const files = [
      "pickle",
      "pickle-values",
      "pickle-opcodes",
      "torch-pickle",
      "pt",
      "pt-tensor",
      "zip",
      "inflate",
      "crc32",
      "weights-file",
    ];
    for (const f of files) {
      const text = readFileSync(`src/runtime/${f}.ts`, "utf8");
      for (const pattern of [
        /\beval\b/,
        /\bFunction\s*\(/,
        /\bimport\s*\(/,
        /\brequire\b/,
        /\bglobalThis\b/,
        /\bReflect\b/,
        /\bProxy\b/,
      ]) {
        expect(pattern.test(text), `${f}.ts matches ${pattern}`).toBe(false);
      }
      const imports = [...text.matchAll(/from "([^"]+)"/g)].map((m) => m[1]!);
      expect(
        imports.every((i) => i.startsWith("./") || i.startsWith("../shared/")),
        f,
      ).toBe(true);
    }
  });
});
