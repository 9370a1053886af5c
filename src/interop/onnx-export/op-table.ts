// How each element-wise IR op is written in standard ONNX operators (opset 17). One line per op:
// a new primitive gets its ONNX form here, and an op missing from the tables is reported to the
// user (`cannotExport`) rather than written wrongly.
import type { BinaryOp, UnaryOp } from "../../compiler/ir/ir.js";
import type { GraphBuilder } from "./graph-builder.js";

/** Writes the op on `x` into `g`; returns the result's name. */
type UnaryForm = (g: GraphBuilder, x: string, hint: string) => string;

const one =
  (opType: string): UnaryForm =>
  (g, x, hint) =>
    g.op(opType, [x], { hint });

// "erf" is listed before the IR has it, so that the primitive exports as soon as it exists.
export const UNARY_FORMS: Readonly<Partial<Record<UnaryOp | "erf", UnaryForm>>> = {
  neg: one("Neg"),
  exp: one("Exp"),
  // e^x - 1 and log(1 + x): float32 loses the relative accuracy near 0 but not the absolute one.
  expm1: (g, x, hint) => g.op("Sub", [g.op("Exp", [x]), g.scalar(1)], { hint }),
  log: one("Log"),
  log1p: (g, x, hint) => g.op("Log", [g.op("Add", [x, g.scalar(1)])], { hint }),
  abs: one("Abs"),
  sqrt: one("Sqrt"),
  tanh: one("Tanh"),
  sigmoid: one("Sigmoid"),
  sin: one("Sin"),
  cos: one("Cos"),
  floor: one("Floor"),
  erf: one("Erf"),
};

/** Arithmetic: the ONNX operator of the same meaning (numpy broadcasting, as scalars stretch). */
export const ARITHMETIC_FORMS: Readonly<Partial<Record<BinaryOp, string>>> = {
  add: "Add",
  sub: "Sub",
  mul: "Mul",
  div: "Div",
  max: "Max",
  min: "Min",
  pow: "Pow",
};

/** Comparisons give a bool tensor; the caller casts it to the 0/1 floats the IR means. */
type ComparisonForm = (g: GraphBuilder, a: string, b: string) => string;

const compare =
  (opType: string): ComparisonForm =>
  (g, a, b) =>
    g.op(opType, [a, b]);

export const COMPARISON_FORMS: Readonly<Partial<Record<BinaryOp, ComparisonForm>>> = {
  lt: compare("Less"),
  le: compare("LessOrEqual"),
  gt: compare("Greater"),
  ge: compare("GreaterOrEqual"),
  eq: compare("Equal"),
  // a != b is not (a == b): true for NaN, as in JavaScript.
  ne: (g, a, b) => g.op("Not", [g.op("Equal", [a, b])]),
};
