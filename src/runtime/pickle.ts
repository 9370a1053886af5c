// A pickle virtual machine that builds data and nothing else. It knows the opcodes torch.save
// writes for a state_dict (protocols 2 to 5) and no others; GLOBAL, REDUCE, BUILD and persistent
// ids go to its hooks, so it cannot import, look up or call anything itself. Every read is
// bounds-checked and the stack, the memo and the open marks are bounded (src/shared/limits.ts).
import { MAX_PICKLE_DEPTH, MAX_PICKLE_ITEMS } from "../shared/limits.js";
import { PickleBytes } from "./pickle-bytes.js";
import { OP, opcodeName } from "./pickle-opcodes.js";
import { type PyDict, type PyValue, describe, dictKey, showKey } from "./pickle-values.js";

/** What the VM asks of its owner; each may refuse by throwing (a DataError). */
export interface PickleHooks {
  /** The value of `module.name` (GLOBAL, STACK_GLOBAL). */
  global(module: string, name: string): PyValue;
  /** Python's persistent_load(pid) (BINPERSID). */
  persistentLoad(pid: PyValue): PyValue;
  /** `callable(*args)` (REDUCE). */
  reduce(callable: PyValue, args: PyValue): PyValue;
  /** `target.__setstate__(state)` (BUILD); the target stays on the stack. */
  build(target: PyValue, state: PyValue): void;
}

/** Runs the pickle in `bytes` to its STOP; `fail(detail)` makes the errors. */
export function unpickle(
  bytes: Uint8Array,
  hooks: PickleHooks,
  fail: (detail: string) => Error,
): PyValue {
  return new Machine(bytes, hooks, fail).run();
}

class Machine {
  private readonly input: PickleBytes;
  private at = 0; // where the current opcode starts, for messages
  private readonly stack: PyValue[] = [];
  private readonly marks: number[] = []; // the stack's length at each open MARK
  private readonly memo = new Map<number, PyValue>();

  constructor(
    bytes: Uint8Array,
    private readonly hooks: PickleHooks,
    private readonly failWith: (detail: string) => Error,
  ) {
    this.input = new PickleBytes(bytes, (detail) => this.fail(detail));
  }

  run(): PyValue {
    for (;;) {
      this.at = this.input.pos;
      const op = this.input.u8();
      if (op === OP.STOP) return this.stop();
      const known =
        this.data(op) ||
        this.sequences(op) ||
        this.dicts(op) ||
        this.memoOps(op) ||
        this.objects(op);
      if (!known) {
        throw this.fail(`unsupported opcode ${opcodeName(op)}: a state_dict never uses it`);
      }
    }
  }

  private fail(detail: string): Error {
    return this.failWith(`data.pkl, byte ${this.at}: ${detail}`);
  }

  private stop(): PyValue {
    if (this.marks.length > 0 || this.stack.length !== 1) {
      throw this.fail(`STOP with ${this.stack.length} values and ${this.marks.length} marks open`);
    }
    if (this.input.left > 0) {
      throw this.fail(`${this.input.left} bytes follow STOP`);
    }
    return this.stack[0]!;
  }

  /** Constants and scalars. */
  private data(op: number): boolean {
    switch (op) {
      case OP.PROTO: {
        const version = this.input.u8();
        if (version < 2 || version > 5) throw this.fail(`unsupported pickle protocol ${version}`);
        return true;
      }
      case OP.FRAME: // a hint for buffered readers: the frame's bytes follow as usual
        this.input.take(8);
        return true;
      case OP.NONE:
        return this.push(null);
      case OP.NEWTRUE:
        return this.push(true);
      case OP.NEWFALSE:
        return this.push(false);
      case OP.BININT1:
        return this.push(this.input.u8());
      case OP.BININT2:
        return this.push(this.input.view.getUint16(this.input.take(2), true));
      case OP.BININT:
        return this.push(this.input.view.getInt32(this.input.take(4), true));
      case OP.LONG1:
        return this.push(this.input.long(this.input.u8()));
      case OP.BINFLOAT:
        return this.push({
          type: "float",
          value: this.input.view.getFloat64(this.input.take(8), false),
        });
      case OP.BINUNICODE:
        return this.push(this.input.text(this.input.view.getUint32(this.input.take(4), true)));
      case OP.SHORT_BINUNICODE:
        return this.push(this.input.text(this.input.u8()));
      case OP.BINUNICODE8:
        return this.push(this.input.text(this.input.view.getBigUint64(this.input.take(8), true)));
      default:
        return false;
    }
  }

  /** Marks, tuples and lists. */
  private sequences(op: number): boolean {
    switch (op) {
      case OP.MARK:
        if (this.marks.length >= MAX_PICKLE_DEPTH) {
          throw this.fail(`nested more than ${MAX_PICKLE_DEPTH} levels deep (marks open at once)`);
        }
        this.marks.push(this.stack.length);
        return true;
      case OP.EMPTY_TUPLE:
        return this.push({ type: "tuple", items: [] });
      case OP.TUPLE:
        return this.push({ type: "tuple", items: this.popMark() });
      case OP.TUPLE1:
      case OP.TUPLE2:
      case OP.TUPLE3: {
        const items = this.popN(op - OP.TUPLE1 + 1);
        return this.push({ type: "tuple", items });
      }
      case OP.EMPTY_LIST:
        return this.push({ type: "list", items: [] });
      case OP.LIST:
        return this.push({ type: "list", items: this.popMark() });
      case OP.APPEND:
      case OP.APPENDS: {
        const items = op === OP.APPEND ? this.popN(1) : this.popMark();
        const list = this.top();
        if (typeof list !== "object" || list?.type !== "list") {
          throw this.fail(`APPEND to ${describe(list)}: only lists take items`);
        }
        for (const item of items) list.items.push(item); // no spread: items may be millions
        return true;
      }
      default:
        return false;
    }
  }

  /** Dicts, filled by SETITEM(S) or made whole by DICT. */
  private dicts(op: number): boolean {
    switch (op) {
      case OP.EMPTY_DICT:
        return this.push({ type: "dict", entries: new Map() });
      case OP.DICT: {
        const dict: PyDict = { type: "dict", entries: new Map() };
        this.setItems(dict, this.popMark());
        return this.push(dict);
      }
      case OP.SETITEM:
      case OP.SETITEMS: {
        const items = op === OP.SETITEM ? this.popN(2) : this.popMark();
        const dict = this.top();
        if (typeof dict !== "object" || dict?.type !== "dict") {
          throw this.fail(`SETITEM on ${describe(dict)}: only dicts take items`);
        }
        this.setItems(dict, items);
        return true;
      }
      default:
        return false;
    }
  }

  /** The memo, and the opcodes that move values around the stack. */
  private memoOps(op: number): boolean {
    switch (op) {
      case OP.BINPUT:
        return this.put(this.input.u8());
      case OP.LONG_BINPUT:
        return this.put(this.input.view.getUint32(this.input.take(4), true));
      case OP.MEMOIZE:
        return this.put(this.memo.size);
      case OP.BINGET:
        return this.get(this.input.u8());
      case OP.LONG_BINGET:
        return this.get(this.input.view.getUint32(this.input.take(4), true));
      case OP.POP:
        this.popN(1);
        return true;
      case OP.POP_MARK:
        this.popMark();
        return true;
      case OP.DUP:
        return this.push(this.top());
      default:
        return false;
    }
  }

  /** The opcodes that reach outside plain data: each is the hooks' to allow or refuse. */
  private objects(op: number): boolean {
    switch (op) {
      case OP.GLOBAL: {
        const module = this.input.line();
        return this.push(this.hooks.global(module, this.input.line()));
      }
      case OP.STACK_GLOBAL: {
        const [module, name] = this.popN(2);
        if (typeof module !== "string" || typeof name !== "string") {
          throw this.fail(
            `STACK_GLOBAL of ${describe(module ?? null)} and ${describe(name ?? null)}`,
          );
        }
        return this.push(this.hooks.global(module, name));
      }
      case OP.BINPERSID:
        return this.push(this.hooks.persistentLoad(this.pop()));
      case OP.REDUCE: {
        const [callable, args] = this.popN(2);
        return this.push(this.hooks.reduce(callable!, args!));
      }
      case OP.BUILD: {
        const state = this.pop();
        this.hooks.build(this.top(), state);
        return true;
      }
      default:
        return false;
    }
  }

  private setItems(dict: PyDict, items: readonly PyValue[]): void {
    if (items.length % 2 !== 0) throw this.fail(`SETITEMS with an odd number of values`);
    for (let i = 0; i < items.length; i += 2) {
      const key = items[i]!;
      const id = dictKey(key);
      if (id === null) throw this.fail(`a dict key that is ${describe(key)}: expected a name`);
      // Python would keep the last value; a weights file must not be ambiguous.
      if (dict.entries.has(id)) throw this.fail(`dict key ${showKey(key)} is set twice`);
      dict.entries.set(id, { key, value: items[i + 1]! });
    }
  }

  private push(v: PyValue): true {
    if (this.stack.length >= MAX_PICKLE_ITEMS) {
      throw this.fail(`more than ${MAX_PICKLE_ITEMS} values on the stack`);
    }
    this.stack.push(v);
    return true;
  }

  /** The values above the innermost mark never reach below it, as in Python's unpickler. */
  private floor(): number {
    return this.marks[this.marks.length - 1] ?? 0;
  }

  private top(): PyValue {
    if (this.stack.length <= this.floor()) throw this.fail("the stack is empty");
    return this.stack[this.stack.length - 1]!;
  }

  private pop(): PyValue {
    return this.popN(1)[0]!;
  }

  private popN(n: number): PyValue[] {
    if (this.stack.length - n < this.floor()) {
      const had = this.stack.length - this.floor();
      throw this.fail(`needs ${n} values on the stack, found ${had}`);
    }
    return this.stack.splice(this.stack.length - n, n);
  }

  private popMark(): PyValue[] {
    const mark = this.marks.pop();
    if (mark === undefined) throw this.fail("no MARK is open");
    return this.stack.splice(mark);
  }

  private put(index: number): true {
    if (!this.memo.has(index) && this.memo.size >= MAX_PICKLE_ITEMS) {
      throw this.fail(`more than ${MAX_PICKLE_ITEMS} memo entries`);
    }
    this.memo.set(index, this.top());
    return true;
  }

  private get(index: number): true {
    const v = this.memo.get(index);
    if (v === undefined) throw this.fail(`memo entry ${index} is empty`);
    return this.push(v);
  }
}
