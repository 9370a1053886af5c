// The shared writer of imported cells: every cell form (LSTM with and without peepholes and coupled
// gates, both GRUs, the Elman RNN; clipped or not; library and custom activations) is a .cell file
// that compiles without a diagnostic, and numbers are written as the shortest float32 decimal.
import { describe, expect, it } from "vitest";
import { compile } from "../../src/index.js";
import {
  type Activation,
  type CellSpec,
  formatNumber,
  type RecurrentStack,
} from "../../src/interop/stack/index.js";
import { renderCell } from "../../src/interop/stack/cell-text.js";

const act = (name: string, ...args: number[]): Activation => ({ name, args });

const SPECS: CellSpec[] = [
  ...[false, true].flatMap((peepholes) =>
    [false, true].flatMap((coupled) =>
      [null, 3].map((clip): CellSpec => ({
        kind: "lstm",
        peepholes,
        coupled,
        clip,
        gate: act("hard_sigmoid", 0.25, 0.5),
        cand: act("selu"),
        cell: act("scaled_tanh", 1.7159, 0.6667),
      })),
    ),
  ),
  ...[false, true].map((resetAfter): CellSpec => ({
    kind: "gru",
    resetAfter,
    clip: 0.5,
    gate: act("leaky_relu", -0.5),
    cand: act("mish"),
  })),
  { kind: "rnn", clip: null, act: act("relu6") },
  { kind: "rnn", clip: 1e-7, act: act("swish") },
];

function stack(cell: CellSpec): RecurrentStack {
  return {
    cell,
    directions: "bidirectional",
    layers: [],
    inputSize: 3,
    hiddenSize: 4,
    batchFirst: true,
    origin: ["Written by a test."],
  };
}

describe("imported cell text", () => {
  it.each(SPECS.map((s) => [JSON.stringify(s), s] as const))("compiles cleanly: %s", (_, spec) => {
    const text = renderCell(stack(spec));
    expect(compile(text, { file: "model.cell" }).diagnostics).toEqual([]);
    if (spec.clip !== null) expect(text).toContain(`clip(`);
    expect(text).toMatch(/^# Written by a test\.\n/);
  });

  it("writes the clip, the peepholes and the coupled forget gate into the equations", () => {
    const text = renderCell(stack(SPECS[7]!));
    expect(text).toContain("let i = gate(clip(zi + peep_i * c, -3, 3))");
    expect(text).toContain("let f = 1 - i");
    expect(text).toContain("let o = gate(clip(zo + peep_o * c', -3, 3))");
    expect(text).toContain("h' = o * cell(c')");
    expect(text).toContain("slot cand = selu");
    expect(text).toContain("fn selu(x) = 1.0507009873554805 * elu(x, 1.6732632423543772)");
  });

  it("refuses unchecked text in the opening comment", () => {
    expect(() => renderCell({ ...stack(SPECS[0]!), origin: ["a\nb"] })).toThrow(/^internal: /);
  });

  it("writes numbers as the shortest decimal of their float32", () => {
    expect(formatNumber(Math.fround(0.1))).toBe("0.1");
    expect(formatNumber(Math.fround(1.7159))).toBe("1.7159");
    expect(formatNumber(-0.5)).toBe("-0.5");
    expect(formatNumber(1e-7)).toBe("1e-7");
    expect(formatNumber(3e38)).toBe("3e+38");
    expect(() => formatNumber(NaN)).toThrow(/^internal: /);
  });
});
