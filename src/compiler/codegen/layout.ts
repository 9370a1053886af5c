// Where each value lives in the generated kernel and how one element of it is addressed: a
// literal, a load-time array or number, the input, a state, or a buffer with one row per sample
// (step stage) or per (step, sample) pair (sequence stage). Slices are views: a home plus an offset.
import { type Size, addSizes, sizeConst } from "../../shared/size.js";
import type { CellIR, ValueId } from "../ir/ir.js";
import { numberLiteral } from "./literals.js";
import { sizeJs } from "./size-js.js";
import type { NameManager } from "./names.js";
import type { Schedule } from "./schedule.js";

/** Which row of a per-sample array an element is in. */
export type RowKind = "none" | "sequence" | "batch";

export type Home =
  | { readonly kind: "scalar"; readonly expr: string }
  | {
      readonly kind: "array";
      readonly array: string;
      readonly row: RowKind;
      /** Elements per row (null for load-time arrays, which have no rows). */
      readonly stride: Size | "inSize" | null;
      readonly offset: Size;
      /** One number per row (a reduction, or arithmetic on one): every unit reads that number. */
      readonly rowScalar?: true;
    };

export interface Layout {
  /** JavaScript name of each size variable. */
  readonly sizes: ReadonlyMap<string, string>;
  /** Current and next buffer of each state. */
  readonly states: ReadonlyMap<string, { readonly current: string; readonly next: string }>;
  /** Buffers the kernel allocates: sequence-stage (T*B rows) and step-stage (B rows). */
  readonly buffers: readonly {
    readonly name: string;
    readonly rows: RowKind;
    readonly length: Size;
  }[];
  home(id: ValueId): Home;
  /** The identifier of a value computed as a local (one element, or a load-time value). */
  nameOf(id: ValueId): string;
  /** What a value is called in notes and comments (its source name where it has one). */
  label(id: ValueId): string;
}

/**
 * A readable base name for a value: its source name, the names of the parts it is split into
 * (`zi_zf_zg_zo`), or what it computes (`weight_ih_x`).
 */
function baseName(ir: CellIR, id: ValueId, users: readonly ValueId[]): string {
  const n = ir.nodes[id]!;
  if ("name" in n) return n.name;
  if (n.hint !== undefined) return n.hint;
  const parts = users.map((u) => ir.nodes[u]!);
  if (parts.length > 1 && parts.length <= 4 && parts.every((p) => p.op === "slice" && p.hint)) {
    return parts.map((p) => p.hint).join("_");
  }
  if (n.op === "matvec" || n.op === "affine") {
    const [w, x] = n.args.map((a) => ir.nodes[a]!);
    const part = (m: typeof w) => (m && "name" in m ? m.name : m?.hint);
    if (part(w) && part(x)) return `${part(w)}_${part(x)!.replace(/'$/, "_next")}`;
  }
  return n.op;
}

export function planLayout(ir: CellIR, sched: Schedule, names: NameManager): Layout {
  const sizes = new Map(ir.sizes.map((s) => [s, names.claim(s, "size")]));
  // Arrays end in `Buf`; plain names are single elements or load-time values.
  const states = new Map(
    ir.states.map((s) => [
      s.name,
      {
        current: names.claim(`${s.name}Buf`, "stateBuf"),
        next: names.claim(`${s.name}NextBuf`, "nextBuf"),
      },
    ]),
  );
  // Users in order, each once (a user reading a value twice comes twice in a row).
  const users: ValueId[][] = ir.nodes.map(() => []);
  for (const n of ir.nodes)
    for (const a of n.args) if (users[a]!.at(-1) !== n.id) users[a]!.push(n.id);
  const memo = (suffix: string) => {
    const claimed = new Map<ValueId, string>();
    return (id: ValueId): string => {
      let name = claimed.get(id);
      if (!name) {
        name = names.claim(`${baseName(ir, id, users[id] ?? [])}${suffix}`, `v${suffix}`);
        claimed.set(id, name);
      }
      return name;
    };
  };
  const nameOf = memo("");
  const bufferOf = memo("Buf");

  // A state's next value is stored straight into the state's next buffer when it is computed at
  // every step into a buffer of its own; otherwise it is copied there at the end of the step.
  const homedToState = new Map<ValueId, string>();
  for (const [state, id] of ir.next) {
    const n = ir.nodes[id]!;
    const computedHere =
      sched.stage[id] === "step" && sched.materialized.has(id) && n.op !== "slice";
    if (computedHere && !homedToState.has(id)) homedToState.set(id, states.get(state)!.next);
  }
  const buffers: { name: string; rows: RowKind; length: Size }[] = [];
  for (const id of sched.materialized) {
    if (homedToState.has(id)) continue;
    const rows: RowKind = sched.stage[id] === "sequence" ? "sequence" : "batch";
    buffers.push({ name: bufferOf(id), rows, length: ir.nodes[id]!.shape[0] ?? sizeConst(1) });
  }

  const home = (id: ValueId): Home => {
    const n = ir.nodes[id]!;
    const zero = sizeConst(0);
    if (n.op === "const") return { kind: "scalar", expr: numberLiteral(n.value) };
    if (n.op === "size") return { kind: "scalar", expr: sizeJs(n.size, sizes) };
    if (n.op === "slice") {
      const source = home(n.args[0]);
      if (source.kind === "scalar") throw new Error("internal: slice of a scalar");
      return { ...source, offset: addSizes(source.offset, n.start) };
    }
    if (n.op === "input")
      return { kind: "array", array: "xs", row: "sequence", stride: "inSize", offset: zero };
    if (n.op === "state") {
      const stride = n.shape[0]!;
      return {
        kind: "array",
        array: states.get(n.name)!.current,
        row: "batch",
        stride,
        offset: zero,
      };
    }
    if (sched.stage[id] === "weight") {
      return n.shape.length === 0
        ? { kind: "scalar", expr: nameOf(id) }
        : { kind: "array", array: nameOf(id), row: "none", stride: null, offset: zero };
    }
    const array = homedToState.get(id) ?? bufferOf(id);
    const row: RowKind = sched.stage[id] === "sequence" ? "sequence" : "batch";
    if (n.shape.length === 0) {
      return { kind: "array", array, row, stride: sizeConst(1), offset: zero, rowScalar: true };
    }
    return { kind: "array", array, row, stride: n.shape[0]!, offset: zero };
  };
  const label = (id: ValueId) => baseName(ir, id, users[id] ?? []);
  return { sizes, states, buffers, home, nameOf, label };
}

/** State updates that are not computed straight into the state's next buffer. */
export function stateCopies(ir: CellIR, layout: Layout): { state: string; id: ValueId }[] {
  const copies: { state: string; id: ValueId }[] = [];
  for (const [state, id] of ir.next) {
    const h = layout.home(id);
    if (h.kind !== "array" || h.array !== layout.states.get(state)!.next)
      copies.push({ state, id });
  }
  return copies;
}
