// Prints an AST back as `.cell` source, one declaration per line, with only the parentheses that
// precedence needs: parse(print(ast)) gives the same tree back (spans aside).
import type {
  ActivationSpec,
  CellFile,
  Decl,
  Expr,
  NumberArg,
  ShapeExpr,
  SizeExpr,
} from "./ast.js";
import { unreachable } from "./ast.js";

// Binding strength, loosest first: ?: < comparison < + - < * / @ < unary minus < atoms.
const enum Prec {
  Conditional = 0,
  Comparison = 1,
  Additive = 2,
  Multiplicative = 3,
  Unary = 4,
  Atom = 5,
}

function precedenceOf(e: Expr): Prec {
  switch (e.kind) {
    case "Conditional":
      return Prec.Conditional;
    case "Binary":
      if (["+", "-"].includes(e.op)) return Prec.Additive;
      if (["*", "/", "@"].includes(e.op)) return Prec.Multiplicative;
      return Prec.Comparison;
    case "Negate":
      return Prec.Unary;
    case "Number":
    case "Name":
    case "Call":
      return Prec.Atom;
  }
}

function formatNumber(v: number): string {
  // String(-0) is "0"; a default of -0 must print as written to parse back the same.
  return Object.is(v, -0) ? "-0" : String(v);
}

/** Prints `e` where an operand of at least precedence `min` is expected. */
export function printExpr(e: Expr, min: Prec = Prec.Conditional): string {
  const text = printBare(e);
  return precedenceOf(e) < min ? `(${text})` : text;
}

function printBare(e: Expr): string {
  switch (e.kind) {
    case "Number":
      return formatNumber(e.value);
    case "Name":
      return e.primed ? `${e.name}'` : e.name;
    case "Call": {
      const args = e.args.map((a) =>
        a.name ? `${a.name.name} = ${printExpr(a.value)}` : printExpr(a.value),
      );
      return `${e.callee.name}(${args.join(", ")})`;
    }
    case "Negate":
      return `-${printExpr(e.operand, Prec.Unary)}`;
    case "Binary": {
      const p = precedenceOf(e);
      // Left-associative: the right operand binds tighter; comparisons do not chain at all.
      const lhsMin = p === Prec.Comparison ? Prec.Additive : p;
      return `${printExpr(e.lhs, lhsMin)} ${e.op} ${printExpr(e.rhs, p + 1)}`;
    }
    case "Conditional":
      return `${printExpr(e.condition, Prec.Comparison)} ? ${printExpr(e.then)} : ${printExpr(e.otherwise)}`;
    default:
      return unreachable(e);
  }
}

function printSize(e: SizeExpr, min = 0): string {
  switch (e.kind) {
    case "SizeNumber":
      return String(e.value);
    case "SizeName":
      return e.name;
    case "SizeBinary": {
      const p = e.op === "*" ? 2 : 1;
      const text = `${printSize(e.lhs, p)}${e.op === "*" ? "*" : ` ${e.op} `}${printSize(e.rhs, p + 1)}`;
      return p < min ? `(${text})` : text;
    }
  }
}

function printShape(s: ShapeExpr): string {
  return `[${s.dims.map((d) => printSize(d)).join(", ")}]`;
}

function printNumberArg(n: NumberArg): string {
  return formatNumber(n.value);
}

export function printActivationSpec(s: ActivationSpec): string {
  return s.args.length > 0
    ? `${s.name.name}(${s.args.map((a) => printExpr(a)).join(", ")})`
    : s.name.name;
}

export function printDecl(d: Decl): string {
  switch (d.kind) {
    case "Cell":
      return `cell ${d.name.name}`;
    case "Size":
      return `size ${d.names.map((n) => n.name).join(", ")}`;
    case "Input":
    case "State":
      return `${d.kind.toLowerCase()} ${d.name.name} : ${printShape(d.shape)}`;
    case "Param":
      return `param ${d.name.name} : ${printShape(d.shape)}${d.default ? ` = ${printNumberArg(d.default)}` : ""}`;
    case "Slot":
      return `slot ${d.name.name} = ${printActivationSpec(d.binding)}`;
    case "Fn": {
      const params = d.params.map((p) =>
        p.default ? `${p.name.name} = ${printExpr(p.default)}` : p.name.name,
      );
      const locals = d.locals.map(
        (l) => `${l.names.map((n) => n.name).join(", ")} = ${printExpr(l.value)}`,
      );
      const where = locals.length > 0 ? ` where ${locals.join(", ")}` : "";
      return `fn ${d.name.name}(${params.join(", ")}) = ${printExpr(d.body)}${where}`;
    }
    case "Let":
      return `let ${d.names.map((n) => n.name).join(", ")} = ${printExpr(d.value)}`;
    case "Update":
      return `${d.name.name}' = ${printExpr(d.value)}`;
    case "Output":
      return `output ${printExpr(d.value)}`;
    default:
      return unreachable(d);
  }
}

export function printCell(file: CellFile): string {
  return file.decls.map((d) => `${printDecl(d)}\n`).join("");
}
