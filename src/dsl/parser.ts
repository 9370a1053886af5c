// The grammar of `.cell` files, as a Chevrotain CST parser. Precedence comes from rule nesting:
// expression (?:) < comparison < additive < multiplicative (* / @) < unary < primary.
// Newlines are plain whitespace: a statement ends where its expression cannot continue.
import { chevrotain } from "./chevrotain.js";
import { syntaxMessages } from "./syntax-messages.js";
import * as T from "./tokens.js";

export class CellParser extends chevrotain.CstParser {
  constructor() {
    super([...T.allTokens], {
      recoveryEnabled: false,
      maxLookahead: 3,
      nodeLocationTracking: "onlyOffset",
      errorMessageProvider: syntaxMessages,
    });
    this.performSelfAnalysis();
  }

  // Each declaration starts on a line of its own (and may continue over several lines).
  public cellFile = this.RULE("cellFile", () => {
    this.MANY({ GATE: () => this.atLineStart(), DEF: () => this.SUBRULE(this.declaration) });
  });

  private atLineStart(): boolean {
    const previous = this.LA(0);
    return (
      previous.tokenType.name === "EOF" ||
      Number.isNaN(previous.startOffset) ||
      (previous.endLine ?? 0) < (this.LA(1).startLine ?? 0)
    );
  }

  public declaration = this.RULE("declaration", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.updateDecl) },
      { ALT: () => this.SUBRULE(this.cellDecl) },
      { ALT: () => this.SUBRULE(this.sizeDecl) },
      { ALT: () => this.SUBRULE(this.inputDecl) },
      { ALT: () => this.SUBRULE(this.stateDecl) },
      { ALT: () => this.SUBRULE(this.paramDecl) },
      { ALT: () => this.SUBRULE(this.slotDecl) },
      { ALT: () => this.SUBRULE(this.fnDecl) },
      { ALT: () => this.SUBRULE(this.letDecl) },
      { ALT: () => this.SUBRULE(this.outputDecl) },
    ]);
  });

  // h' = o * cell(c')
  public updateDecl = this.RULE("updateDecl", () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Prime);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  public cellDecl = this.RULE("cellDecl", () => {
    this.CONSUME(T.Cell);
    this.CONSUME(T.Identifier);
  });

  public sizeDecl = this.RULE("sizeDecl", () => {
    this.CONSUME(T.Size);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME(T.Identifier) });
  });

  public inputDecl = this.RULE("inputDecl", () => {
    this.CONSUME(T.Input);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.shape);
  });

  public stateDecl = this.RULE("stateDecl", () => {
    this.CONSUME(T.State);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.shape);
  });

  // param bias_ih : [4*H] = 0   (optional: absent from the weights means filled with 0)
  public paramDecl = this.RULE("paramDecl", () => {
    this.CONSUME(T.Param);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.shape);
    this.OPTION(() => {
      this.CONSUME(T.Equals);
      this.SUBRULE(this.signedNumber);
    });
  });

  public slotDecl = this.RULE("slotDecl", () => {
    this.CONSUME(T.Slot);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.activationSpec);
  });

  // fn hard_sigmoid(x, alpha = 1/5, beta = 0.5) = min(max(alpha * x + beta, 0), 1)
  // fn norm(v) = d / sqrt(mean(d * d)) where d = v - mean(v)
  public fnDecl = this.RULE("fnDecl", () => {
    this.CONSUME(T.Fn);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LParen);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.fnParam) });
    this.CONSUME(T.RParen);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
    // `where'` on the next line is a state named `where` being updated, not this clause.
    this.OPTION2({
      GATE: () => this.LA(2).tokenType !== T.Prime,
      DEF: () => {
        this.CONSUME(T.Where);
        this.AT_LEAST_ONE_SEP2({ SEP: T.Comma, DEF: () => this.SUBRULE(this.whereBinding) });
      },
    });
  });

  // One value the body names, as a let names one: `d = v - mean(v)`, `a, b = split(v, 2)`.
  public whereBinding = this.RULE("whereBinding", () => {
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME(T.Identifier) });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  // A default is an expression here; resolve requires a constant (numbers and + - * /).
  public fnParam = this.RULE("fnParam", () => {
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.Equals);
      this.SUBRULE(this.expression);
    });
  });

  // let i, f, g, o = split(z, 4)
  public letDecl = this.RULE("letDecl", () => {
    this.CONSUME(T.Let);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME(T.Identifier) });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  public outputDecl = this.RULE("outputDecl", () => {
    this.CONSUME(T.Output);
    this.SUBRULE(this.expression);
  });

  // ----------------- shapes -----------------

  public shape = this.RULE("shape", () => {
    this.CONSUME(T.LBracket);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.sizeExpr) });
    this.CONSUME(T.RBracket);
  });

  public sizeExpr = this.RULE("sizeExpr", () => {
    this.SUBRULE(this.sizeTerm, { LABEL: "lhs" });
    this.MANY(() => {
      this.CONSUME(T.AddOp);
      this.SUBRULE2(this.sizeTerm, { LABEL: "rhs" });
    });
  });

  public sizeTerm = this.RULE("sizeTerm", () => {
    this.SUBRULE(this.sizeAtom, { LABEL: "lhs" });
    this.MANY(() => {
      this.CONSUME(T.Star);
      this.SUBRULE2(this.sizeAtom, { LABEL: "rhs" });
    });
  });

  public sizeAtom = this.RULE("sizeAtom", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.Identifier) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.sizeExpr);
          this.CONSUME(T.RParen);
        },
      },
    ]);
  });

  // ----------------- activation bindings -----------------

  // hard_sigmoid(1/4, 0.5): also the entry rule for `--act SLOT=SPEC` on the command line. The
  // arguments are expressions here; resolve requires constants, as for fn defaults.
  public activationSpec = this.RULE("activationSpec", () => {
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) });
      this.CONSUME(T.RParen);
    });
  });

  public signedNumber = this.RULE("signedNumber", () => {
    this.OPTION(() => this.CONSUME(T.AddOp));
    this.CONSUME(T.NumberLiteral);
  });

  // ----------------- expressions -----------------

  public expression = this.RULE("expression", () => {
    this.SUBRULE(this.comparison, { LABEL: "condition" });
    this.OPTION(() => {
      this.CONSUME(T.Question);
      this.SUBRULE(this.expression, { LABEL: "then" });
      this.CONSUME(T.Colon);
      this.SUBRULE2(this.expression, { LABEL: "otherwise" });
    });
  });

  // Comparisons do not chain: `a < b < c` is a syntax error rather than a surprise.
  public comparison = this.RULE("comparison", () => {
    this.SUBRULE(this.additive, { LABEL: "lhs" });
    this.OPTION(() => {
      this.CONSUME(T.CompareOp);
      this.SUBRULE2(this.additive, { LABEL: "rhs" });
    });
  });

  public additive = this.RULE("additive", () => {
    this.SUBRULE(this.multiplicative, { LABEL: "lhs" });
    this.MANY(() => {
      this.CONSUME(T.AddOp);
      this.SUBRULE2(this.multiplicative, { LABEL: "rhs" });
    });
  });

  public multiplicative = this.RULE("multiplicative", () => {
    this.SUBRULE(this.unary, { LABEL: "lhs" });
    this.MANY(() => {
      this.CONSUME(T.MulOp);
      this.SUBRULE2(this.unary, { LABEL: "rhs" });
    });
  });

  // Prefix signs are a loop, not recursion, so `- - - x` costs no stack.
  public unary = this.RULE("unary", () => {
    this.MANY(() => this.CONSUME(T.AddOp));
    this.SUBRULE(this.primary);
  });

  // A keyword is an operand only when called or primed (`cell(c')`): a bare `output` after a
  // dangling operator then reads as the next declaration, not as a variable.
  public primary = this.RULE("primary", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.SUBRULE(this.parenExpr) },
      { GATE: () => this.operandNameAhead(), ALT: () => this.SUBRULE(this.nameOrCall) },
    ]);
  });

  private operandNameAhead(): boolean {
    const next = this.LA(2).tokenType;
    return !T.KEYWORD_TOKENS.has(this.LA(1).tokenType) || next === T.LParen || next === T.Prime;
  }

  public parenExpr = this.RULE("parenExpr", () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(T.RParen);
  });

  public nameOrCall = this.RULE("nameOrCall", () => {
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.CONSUME(T.Prime));
    this.OPTION2(() => {
      this.CONSUME(T.LParen);
      this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.argument) });
      this.CONSUME(T.RParen);
    });
  });

  // An argument may be named: hard_sigmoid(z, alpha = 0.3)
  public argument = this.RULE("argument", () => {
    this.OPTION(() => {
      this.CONSUME(T.Identifier, { LABEL: "argName" });
      this.CONSUME(T.Equals);
    });
    this.SUBRULE(this.expression);
  });
}

/** One instance, reused through `parser.input = tokens` (building one costs a grammar analysis). */
export const cellParser = new CellParser();
