// What each graph output is to `cellc run`: the last layer's outputs (output.npy, in its layout,
// or ONNX's Y with the direction axis apart), or all layers' final states (h_n.npy, c_n.npy).
// Anything else, an inner layer's outputs say, is no file cellc writes: an error naming it.
import type { DataError } from "../../shared/data-error.js";
import type { IoNote } from "../stack/index.js";
import type { RecurrentNode } from "./rnn-node.js";
import { type Axis, sameTag, type Value } from "./values.js";

interface Frame {
  readonly t: Axis;
  readonly b: Axis;
  readonly batchFirst: boolean;
}

/** Words for a layout: (T, B, D*H), (T, D, B, H), ... */
function words(axes: readonly Axis[], f: Frame, L: number): string {
  const word = (a: Axis) =>
    sameTag(a.tag, f.t.tag)
      ? "T"
      : sameTag(a.tag, f.b.tag)
        ? "B"
        : a.tag.t === "dir"
          ? L > 1
            ? "L*D"
            : "D"
          : a.tag.t === "hid"
            ? "H"
            : a.tag.t === "feat"
              ? "D*H"
              : a.tag.t === "one"
                ? "1"
                : "?";
  return `(${axes.map(word).join(", ")})`;
}

export function outputIo(
  v: Value | undefined,
  name: string,
  layers: readonly RecurrentNode[],
  f: Frame,
  fail: (detail: string) => DataError,
): IoNote {
  const L = layers.length;
  const last = layers[L - 1]!;
  const refuse = (why: string) =>
    fail(`graph output '${name}' ${why}, which is no file cellc run writes`);
  if (v?.kind !== "data") throw refuse("does not depend on the model's input");
  const { stream, axes } = v;
  if (stream.s === "y") {
    if (stream.layer !== L - 1)
      throw refuse(`holds the outputs of layer ${stream.layer}, not of the last`);
    const mine = f.batchFirst ? "(B, T, D*H)" : "(T, B, D*H)";
    const shown = words(
      axes.map((a) =>
        a.tag.t === "hid" && last.D === 1 && axes.length === 3 ? { ...a, tag: { t: "feat" } } : a,
      ),
      f,
      1,
    );
    if (!["(T, B, D*H)", "(B, T, D*H)", "(T, D, B, H)", "(B, T, D, H)"].includes(shown))
      throw refuse(`holds the last layer's outputs laid out ${shown}`);
    const note =
      shown === mine ? null : `${shown}: cellc's output.npy holds the same numbers as ${mine}`;
    return { what: `graph output '${name}'`, role: "output.npy", note };
  }
  if (stream.s === "final") {
    if (stream.from !== 0 || stream.to !== L)
      throw refuse(`holds the final states of layers ${stream.from} to ${stream.to - 1} only`);
    const shown = words(axes, f, L);
    const mine = L > 1 ? "(L*D, B, H)" : "(D, B, H)";
    if (shown !== mine && shown !== (L > 1 ? "(B, L*D, H)" : "(B, D, H)"))
      throw refuse(`holds final states laid out ${shown}`);
    return {
      what: `graph output '${name}'`,
      role: `${stream.state}_n.npy`,
      note: shown === mine ? null : `${shown}: cellc's ${stream.state}_n.npy is ${mine}`,
    };
  }
  throw refuse("passes a graph input through");
}
