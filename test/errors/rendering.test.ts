// Pins the full caret rendering of diagnostics (`formatDiagnostic`): the short form, one context
// line each side, `>` on the line, `^~~~` under the span, and a `note:` for a related place; then
// the renderer's edge cases (tabs, long lines, CRLF, first and last lines, wide line numbers).

import { describe, expect, it } from "vitest";
import { compile, formatDiagnostic } from "../../src/index.js";

/** Every diagnostic of compiling `text`, fully rendered, separated by blank lines. */
function render(
  text: string,
  file = "cell.cell",
  activations: Readonly<Record<string, string>> = {},
): string {
  // Overrides are labelled as the CLI labels them.
  const activationLabel = (slot: string) => `--act ${slot}`;
  const result = compile(text, { file, activations, activationLabel });
  return result.diagnostics.map((d) => formatDiagnostic(d, result.source)).join("\n\n");
}

const lines = (...ls: string[]): string => ls.join("\n");

const HEAD = ["cell rnn", "size I, H", "input x : [I]", "state h : [H]"];

describe("formatDiagnostic", () => {
  it("underlines the whole span with tildes when the span is several characters long", () => {
    const text = lines(
      ...HEAD,
      "param weight_ih : [4*H, I]",
      "param bias : [H] = 0",
      "h' = tanh(weight_ih @ x + bias)",
      "output h'",
      "",
    );
    expect(render(text, "cells/wide.cell")).toBe(
      lines(
        "cells/wide.cell:7:11: error E210: shapes [4*H] and [H] do not match",
        "  6 | param bias : [H] = 0",
        "> 7 | h' = tanh(weight_ih @ x + bias)",
        "    |           ^~~~~~~~~~~~~~~~~~~~",
        "  8 | output h'",
      ),
    );
  });

  it("points at the empty last line when the file ends in the middle of an expression", () => {
    const text = lines(...HEAD, "param w : [H, I]", "h' = tanh(w @ x)", "output h' *", "");
    expect(render(text, "eof.cell")).toBe(
      lines(
        "eof.cell:8:1: error E102: expected an expression, found the end of the file",
        "  7 | output h' *",
        "> 8 |",
        "    | ^",
      ),
    );
  });

  it("adds a note with the first definition when a name is defined twice", () => {
    const text = lines(
      ...HEAD,
      "param w : [H, I]",
      "let z = w @ x",
      "let z = tanh(h)",
      "h' = z",
      "output h'",
      "",
    );
    expect(render(text, "twice.cell")).toBe(
      lines(
        "twice.cell:7:5: error E202: 'z' is already defined",
        "  6 | let z = w @ x",
        "> 7 | let z = tanh(h)",
        "    |     ^",
        "  8 | h' = z",
        "  note: 'z' was first defined here (twice.cell:6:5)",
      ),
    );
  });

  it("shows the override's own text when the diagnostic comes from --act", () => {
    const text = lines(...HEAD, "param w : [H, I]", "slot gate = sigmoid", "h' = gate(w @ x)", "");
    const withOutput = `${text}output h'\n`;
    expect(render(withOutput, "lstm.cell", { gate: "relu(1)" })).toBe(
      lines(
        "--act gate:1:1: error E208: activation 'relu' takes no arguments after the input, but 1 was given",
        "> 1 | relu(1)",
        "    | ^~~~~~~",
      ),
    );
  });

  it("shows the override's text and notes the slot's use in the file when the shape changes", () => {
    const text = lines(
      ...HEAD,
      "param w : [H, I]",
      "slot gate = sigmoid",
      "fn zero(v) = 0",
      "h' = gate(w @ x)",
      "output h'",
      "",
    );
    expect(render(text, "zero.cell", { gate: "zero" })).toBe(
      lines(
        "--act gate:1:1: error E231: activation 'zero' bound to slot 'gate' returns shape [] for an argument of shape [H] (an activation must keep the shape)",
        "> 1 | zero",
        "    | ^~~~",
        "  note: slot 'gate' is applied to [H] here (zero.cell:8:6)",
      ),
    );
  });

  it("prints only the short form when an override diagnostic has no span", () => {
    const text = lines(...HEAD, "param w : [H, I]", "h' = tanh(w @ x)", "output h'", "");
    expect(render(text, "rnn.cell", { gates: "relu" })).toBe(
      "--act gates: error E207: unknown activation slot 'gates' (this cell has no slots)",
    );
  });
});

describe("formatDiagnostic edge cases", () => {
  it("keeps the caret under the name when the line contains tabs", () => {
    const text = lines(...HEAD, "param w : [H, I]", "h' =\ttanh(w @ x\t+ hprev)", "output h'", "");
    expect(render(text, "tabs.cell")).toBe(
      lines(
        "tabs.cell:6:19: error E201: unknown name 'hprev'",
        "  5 | param w : [H, I]",
        "> 6 | h' = tanh(w @ x + hprev)",
        "    |                   ^~~~~",
        "  7 | output h'",
      ),
    );
  });

  it("renders exactly as with LF when the file has CRLF line endings", () => {
    const lf = lines(
      ...HEAD,
      "param weight_ih : [4*H, I]",
      "param bias : [H] = 0",
      "h' = tanh(weight_ih @ x + bias)",
      "output h'",
      "",
    );
    const crlf = lf.replace(/\n/g, "\r\n");
    expect(render(crlf, "crlf.cell")).toBe(render(lf, "crlf.cell"));
    expect(render(crlf, "crlf.cell")).not.toContain("\r");
  });

  it("stops the tildes at the end of the line when a span crosses a CRLF line break", () => {
    // (H is not used, so that the cycle is the only diagnostic.)
    const text = lines(
      "cell rnn",
      "size I",
      "input x : [I]",
      "state h : [I]",
      "let a = tanh(",
      "  b)",
      "let b = sigmoid(a)",
      "h' = a",
      "output h'",
      "",
    ).replace(/\n/g, "\r\n");
    expect(render(text, "cycle.cell")).toBe(
      lines(
        "cycle.cell:5:1: error E213: circular definition: a -> b -> a",
        "  4 | state h : [I]",
        "> 5 | let a = tanh(",
        "    | ^~~~~~~~~~~~~",
        "  6 |   b)",
      ),
    );
  });

  it("shows no line above when the diagnostic is on the first line", () => {
    const text = lines("cell rnn!", "size I, H", "");
    expect(render(text, "first.cell")).toBe(
      lines(
        "first.cell:1:9: error E101: unexpected character '!'",
        "> 1 | cell rnn!",
        "    |         ^",
        "  2 | size I, H",
      ),
    );
  });

  it("shows no line below when the diagnostic is on the last line of a file without a final newline", () => {
    const text = lines(...HEAD, "param w : [H, I]", "h' = tanh(w @ x)", "output h' $");
    expect(render(text, "last.cell")).toBe(
      lines(
        "last.cell:7:11: error E101: unexpected character '$'",
        "  6 | h' = tanh(w @ x)",
        "> 7 | output h' $",
        "    |           ^",
      ),
    );
  });

  it("aligns the gutter when the context lines have line numbers of different widths", () => {
    const text = lines(
      ...HEAD,
      "param w : [H, I]",
      "",
      "",
      "",
      "h' = tanh(w @ hprev)",
      "output h'",
      "",
    );
    expect(render(text, "wide-gutter.cell")).toBe(
      lines(
        "wide-gutter.cell:9:15: error E201: unknown name 'hprev'",
        "   8 |",
        ">  9 | h' = tanh(w @ hprev)",
        "     |               ^~~~~",
        "  10 | output h'",
      ),
    );
  });

  describe("on a line longer than 160 columns", () => {
    const HEAD_W = [...HEAD, "param w : [H, I]"];
    const farLine = `h' = ${"w @ x + ".repeat(40)}hprev${" + h".repeat(40)}`;
    const nearLine = `h' = hprev${" + w @ x".repeat(40)}`;

    /** The rendered `>` line and the caret line below it. */
    function markedLines(line: string): { marked: string; caret: string; short: string } {
      const out = render(lines(...HEAD_W, line, "output h'", "")).split("\n");
      const at = out.findIndex((l) => l.startsWith(">"));
      return { marked: out[at] ?? "", caret: out[at + 1] ?? "", short: out[0] ?? "" };
    }

    it("keeps the caret under the name when the name is far to the right", () => {
      const { marked, caret, short } = markedLines(farLine);
      expect(short).toBe("cell.cell:6:326: error E201: unknown name 'hprev'");
      expect(caret.indexOf("^")).toBe(marked.indexOf("hprev"));
      expect(caret.trimEnd().endsWith("^~~~~")).toBe(true);
      expect(marked).toContain("…");
      expect(marked.length).toBeLessThanOrEqual("> 6 | ".length + 162);
    });

    it("cuts the line on the right and keeps the caret when the name is near the start", () => {
      const { marked, caret } = markedLines(nearLine);
      expect(caret).toBe("    |      ^~~~~");
      expect(marked.startsWith("> 6 | h' = hprev + w @ x")).toBe(true);
      expect(marked.endsWith("…")).toBe(true);
      expect(marked.length).toBeLessThanOrEqual("> 6 | ".length + 162);
    });

    it("keeps the tildes within the shown text when the span is longer than the window", () => {
      const line = `h' = ${"x + ".repeat(100)}h + w @ x`;
      const { marked, caret, short } = markedLines(line);
      expect(short).toBe("cell.cell:6:6: error E210: shapes [I] and [H] do not match");
      expect(caret.indexOf("^")).toBe(marked.indexOf("x + x"));
      expect(caret).toMatch(/^ {4}\| {6}\^~+$/);
      expect(caret.length).toBeLessThanOrEqual(marked.length);
    });
  });
});

describe("formatDiagnostic on many diagnostics", () => {
  /** Renders every diagnostic of `text`; returns how long compiling and rendering took. */
  function timedRender(text: string): { count: number; ms: number } {
    const start = performance.now();
    const result = compile(text, { file: "many.cell" });
    for (const d of result.diagnostics) formatDiagnostic(d, result.source);
    return { count: result.diagnostics.length, ms: performance.now() - start };
  }

  it("renders thousands of warnings in linear time when a file has thousands of lines", () => {
    const sizes = Array.from({ length: 4_900 }, (_, i) => `size S${i}`);
    const { count, ms } = timedRender(lines(...HEAD, ...sizes, "h' = h", "output h'", ""));
    expect(count).toBe(4_901);
    expect(ms).toBeLessThan(2_000);
  });

  it("reads only the shown part of a line when a long line has thousands of diagnostics", () => {
    const parts = Array.from({ length: 1_000 }, (_, i) => `q${i}${" ".repeat(900)}`);
    const { count, ms } = timedRender(
      lines(...HEAD, `h' = concat(${parts.join(", ")})`, "output h'", ""),
    );
    expect(count).toBeGreaterThanOrEqual(1_000);
    expect(ms).toBeLessThan(2_000);
  });
});
