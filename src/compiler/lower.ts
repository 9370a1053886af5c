// Lowers a resolved cell to IR: follows each state update and the output through lets (on demand,
// so equations may come in any order), inlines functions and slots, and checks every shape.
// A failed subexpression lowers to null ("poison"), so one mistake is reported once. A function
// applied twice to the same values is lowered once (a chain of functions that each call the last
// twice stays linear), and past MAX_OPERATIONS lowering stops (E301); lets too long a chain to
// follow on demand come first (`Resolution.eager`).
import type { Diagnostic, Span } from "../diagnostics.js";
import type { BinaryOperator, DeclOf, Expr, ExprOf } from "../dsl/ast.js";
import { MAX_OPERATIONS } from "../dsl/limits.js";
import { formatSymbolicShape, shapeEquals, sizeVar } from "../shared/size.js";
import { IRBuilder } from "./ir/builder.js";
import * as E from "./errors.js";
import type { BinaryOp, Op, ValueId } from "./ir/ir.js";
import type { BoundArg, Callee, Resolution } from "./resolve/resolution.js";
import type { Reduction } from "./resolve/builtins.js";
import { inferShape } from "./ir/shape-rules.js";
import { splitValue } from "./lower-split.js";

/** A value's id, or null ("poison") where a mistake was reported. */
export type Value = ValueId | null;

interface Env {
  /** Values of the enclosing function's parameters. */
  readonly args: readonly Value[];
  /** Values of the enclosing function's `where`, in this call. */
  readonly locals: ReadonlyMap<DeclOf<"Let">, readonly Value[]>;
  /** Inside the built-in library, where errors and spans point instead: the user's call. */
  readonly callSite: Span | null;
}

const FILE_ENV: Env = { args: [], locals: new Map(), callSite: null };

/** A call ready to lower: never a slot (bound to its function), arguments lowered. */
interface Application {
  readonly callee: Exclude<Callee, { kind: "slot" }>;
  readonly args: readonly Value[];
  /** Where the nodes of a library function's body point: the user's call. */
  readonly callSite: Span | null;
  readonly span: Span;
  /** The slot called, whose activation must give back its argument's shape. */
  readonly slot?: string;
}

const BINARY: Readonly<Record<Exclude<BinaryOperator, "@">, BinaryOp>> = {
  "+": "add",
  "-": "sub",
  "*": "mul",
  "/": "div",
  "<": "lt",
  "<=": "le",
  ">": "gt",
  ">=": "ge",
  "==": "eq",
  "!=": "ne",
};

export class Lowerer {
  readonly builder = new IRBuilder();
  readonly diagnostics: Diagnostic[] = [];
  private readonly lets = new Map<DeclOf<"Let">, Value[]>();
  private readonly nexts = new Map<string, Value>();
  /** Each function's results by its arguments' ids and call site (which spans may point at). */
  private readonly applied = new Map<DeclOf<"Fn">, Map<string, Value>>();
  private readonly leaves: ReadonlyMap<string, DeclOf<"Input" | "State" | "Param">>;
  /** Slots whose activation changed a shape (E231), each reported once. */
  private readonly reshapingSlots = new Set<string>();
  /** Expressions lowered so far, each function body once per call with new arguments. */
  private operations = 0;
  /** The statement being lowered (for E301): set by `lower` before each. */
  statement: Span | null = null;

  constructor(
    private readonly r: Resolution,
    private readonly libraryFns: ReadonlySet<DeclOf<"Fn">>,
  ) {
    this.leaves = new Map([r.input, ...r.states, ...r.params].map((d) => [d.name.name, d]));
  }

  next(state: string): Value {
    if (this.nexts.has(state)) return this.nexts.get(state)!;
    const update = this.r.updates.get(state)!;
    const value = this.expr(update.value, FILE_ENV);
    const stateShape = this.r.shapes.get(state)!;
    if (value !== null && !shapeEquals(this.builder.node(value).shape, stateShape)) {
      const got = formatSymbolicShape(this.builder.node(value).shape);
      const message = `the next value of '${state}' has shape ${got} but the state is ${formatSymbolicShape(stateShape)}`;
      this.diagnostics.push(E.shapeMismatch(message, update.value.span));
    }
    if (value !== null) this.builder.nameValue(value, `${state}'`);
    this.nexts.set(state, value);
    return value;
  }

  output(): Value {
    const { value } = this.r.output;
    const id = this.expr(value, FILE_ENV);
    if (id !== null && this.builder.node(id).shape.length !== 1) {
      const shape = formatSymbolicShape(this.builder.node(id).shape);
      this.diagnostics.push(
        E.shapeMismatch(`the output must be a vector, not ${shape}`, value.span),
      );
      return null;
    }
    return id;
  }

  letValues(decl: DeclOf<"Let">): readonly Value[] {
    let values = this.lets.get(decl);
    if (!values) {
      values = this.define(decl, FILE_ENV);
      this.lets.set(decl, values);
    }
    return values;
  }

  /** The values a let (or a `where`) defines, named after it unless inside the library. */
  private define(decl: DeclOf<"Let">, env: Env): Value[] {
    const values = decl.names.length > 1 ? this.split(decl, env) : [this.expr(decl.value, env)];
    if (env.callSite === null)
      values.forEach((v, i) => v !== null && this.builder.nameValue(v, decl.names[i]!.name));
    return values;
  }

  /** `let a, b = split(z, 2)`: the operand, then its parts (lower-split.ts). */
  private split(decl: DeclOf<"Let">, env: Env): Value[] {
    const call = this.r.calls.get(decl.value as ExprOf<"Call">)!;
    const span = env.callSite ?? decl.value.span;
    const x = this.arg(call.args[0]!, env);
    if (x === null) return decl.names.map(() => null);
    return splitValue(this.builder, this.diagnostics, x, decl.names, span, env.callSite);
  }

  expr(e: Expr, env: Env): Value {
    const span = env.callSite ?? e.span;
    if (++this.operations > MAX_OPERATIONS) return this.tooLarge(span);
    switch (e.kind) {
      case "Number":
        return this.builder.constant(e.value, span);
      case "Name":
        return this.name(e, env);
      case "Negate":
        return this.op("neg", [this.expr(e.operand, env)], span);
      case "Binary": {
        const args = [this.expr(e.lhs, env), this.expr(e.rhs, env)];
        return this.op(e.op === "@" ? "matvec" : BINARY[e.op], args, span);
      }
      case "Conditional": {
        const args = [e.condition, e.then, e.otherwise].map((x) => this.expr(x, env));
        return this.op("select", args, span);
      }
      case "Call": {
        const application = this.bind(e, env);
        return this.keepsShape(application, this.apply(application));
      }
    }
  }

  /** A slot's result, or poison (reported once per slot) when its activation changed the shape. */
  private keepsShape({ slot, args, span }: Application, value: Value): Value {
    const argument = args[0];
    if (slot === undefined || value === null || argument === null || argument === undefined)
      return value;
    const [from, to] = [this.builder.node(argument).shape, this.builder.node(value).shape];
    if (shapeEquals(from, to)) return value;
    if (!this.reshapingSlots.has(slot)) {
      this.reshapingSlots.add(slot);
      const { activation, binding } = this.r.slots.get(slot)!;
      const shapes = { argument: formatSymbolicShape(from), result: formatSymbolicShape(to) };
      const d = E.activationChangesShape(slot, activation, shapes, binding.span, span);
      this.diagnostics.push(binding.source ? { ...d, source: binding.source } : d);
    }
    return null;
  }

  private name(e: ExprOf<"Name">, env: Env): Value {
    const ref = this.r.values.get(e);
    if (!ref) throw new Error(`internal: unresolved name '${e.name}'`);
    switch (ref.kind) {
      case "input":
      case "state":
      case "param": {
        const decl = this.leaves.get(ref.name)!;
        return this.builder.leaf(ref.kind, ref.name, this.r.shapes.get(ref.name)!, decl.name.span);
      }
      case "next":
        return this.next(ref.name);
      case "let":
        return this.letValues(ref.decl)[ref.index] ?? null;
      case "fnParam":
        return env.args[ref.index] ?? null;
      case "local":
        return env.locals.get(ref.decl)?.[ref.index] ?? null;
      case "size":
        return this.builder.emit("size", [], { size: sizeVar(ref.name) }, e.span, ref.name);
    }
  }

  /** A call's function (a slot's, for a slot), its arguments' values, and where it points. */
  private bind(e: ExprOf<"Call">, env: Env): Application {
    const ref = this.r.calls.get(e);
    if (!ref) throw new Error(`internal: unresolved call '${e.callee.name}'`);
    const span = env.callSite ?? e.span;
    // A loop, not map: nested calls then cost two stack frames a level (expr, bind).
    const args: Value[] = [];
    for (const a of ref.args)
      args.push("expr" in a ? this.expr(a.expr, env) : this.builder.constant(a.value, span));
    const callSite = env.callSite ?? (this.isLibrary(ref.callee) ? e.span : null);
    if (ref.callee.kind !== "slot") return { callee: ref.callee, args, callSite, span };
    const target = this.r.slots.get(ref.callee.name)!;
    const extra = target.extra.map((v) => this.builder.constant(v, span));
    // A slot's function is the user's choice, wherever it is defined: errors point at the use.
    const [slot, all] = [ref.callee.name, [...args, ...extra]];
    return { callee: target.callee, args: all, callSite: callSite ?? span, span, slot };
  }

  // Called straight from `expr`: a chain of functions costs two stack frames a link.
  private apply({ callee, args, callSite, span }: Application): Value {
    if (callee.kind === "fn") {
      // Lowering the body again would give the same ids (hash-consing) and the same reports.
      let results = this.applied.get(callee.decl);
      if (!results) this.applied.set(callee.decl, (results = new Map()));
      const key = `${args.join(",")}@${callSite ? `${callSite.start}:${callSite.end}` : ""}`;
      if (results.has(key)) return results.get(key)!;
      const locals = new Map<DeclOf<"Let">, readonly Value[]>();
      const env: Env = { args, locals, callSite };
      // Each `where` value once per call, after those it uses: never followed on demand.
      for (const l of this.r.locals.get(callee.decl) ?? []) locals.set(l, this.define(l, env));
      const value = this.expr(callee.decl.body, env);
      results.set(key, value);
      return value;
    }
    const { prim } = callee;
    if (prim.kind === "unary" || prim.kind === "binary") return this.op(prim.op, args, span);
    if (prim.kind === "select") return this.op("select", args, span);
    if (prim.kind === "concat") return this.op("concat", args, span);
    if (prim.kind === "reduce") return this.reduce(prim.op, args, span);
    throw new Error("internal: split outside a let reached lowering");
  }

  /** sum(x); mean(x) = sum(x) / (x's length, a size); dot(a, b) = sum(a * b). */
  private reduce(op: Reduction, args: readonly Value[], span: Span): Value {
    const operand = op === "dot" ? this.op("mul", args, span) : (args[0] ?? null);
    if (operand !== null && op === "dot" && this.builder.node(operand).shape.length !== 1) {
      const shape = formatSymbolicShape(this.builder.node(operand).shape);
      this.diagnostics.push(E.shapeMismatch(`dot takes two vectors, not ${shape}`, span));
      return null;
    }
    const total = this.op("sum", [operand], span);
    if (op !== "mean" || total === null) return total;
    const length = this.builder.node(operand!).shape[0]!;
    return this.op("div", [total, this.builder.emit("size", [], { size: length }, span)], span);
  }

  /** Past the budget everything is poison, reported once: what is left then takes no time. */
  private tooLarge(span: Span): Value {
    if (this.operations === MAX_OPERATIONS + 1)
      this.diagnostics.push(E.tooManyOperations(this.statement ?? span));
    return null;
  }

  private isLibrary(callee: Callee): boolean {
    return callee.kind === "fn" && this.libraryFns.has(callee.decl);
  }

  private arg(a: BoundArg, env: Env, span: Span | null = null): Value {
    return "expr" in a ? this.expr(a.expr, env) : this.builder.constant(a.value, span);
  }

  /** Emits an op after checking its shapes; poison in, poison out, without a second report. */
  private op(op: Op, args: readonly Value[], span: Span): Value {
    if (args.some((a) => a === null)) return null;
    const ids = args as ValueId[];
    const result = inferShape(
      op,
      ids.map((a) => this.builder.node(a).shape),
    );
    if ("problem" in result) {
      this.diagnostics.push(E.shapeMismatch(result.problem, span));
      return null;
    }
    return this.builder.emit(op, ids, {}, span);
  }
}
