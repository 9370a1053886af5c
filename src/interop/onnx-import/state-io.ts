// Initial states: every layer starts from zeros, or every layer takes its range of one graph
// input (layer k the rows k*D .. (k+1)*D of the stacked axis), which is what `cellc run --state`
// takes when laid out (L*D, B, H).
import type { IoNote } from "../stack/index.js";
import type { RecurrentNode } from "./rnn-node.js";

export function stateIo(layers: readonly RecurrentNode[], s: "h" | "c"): IoNote | null {
  const what = s === "h" ? "initial_h" : "initial_c";
  const given = layers.filter((n) => !n.initial[s].zero);
  if (given.length === 0) return null;
  if (given.length < layers.length)
    throw given[0]!.ctx.fail(
      `takes ${what} from the graph but another layer starts from zeros: cellc takes one initial state for all layers`,
    );
  let name = "";
  let layout: number[] = [];
  layers.forEach((n, k) => {
    const init = n.initial[s];
    if (init.zero || init.value.stream.s !== "input") return;
    const v = init.value;
    const stream = init.value.stream;
    const [dirAt, batchAt] = n.layout === 0 ? [0, 1] : [1, 0];
    const index = (i: number) => {
      const tag = v.axes[i]!.tag;
      return tag.t === "in" ? tag.index : -1;
    };
    const order = [index(dirAt), index(batchAt), index(2)];
    const range = stream.range;
    const whole = !range && layers.length === 1;
    const rows =
      range && range.axis === order[0] && range.start === k * n.D && range.end === (k + 1) * n.D;
    if (order.includes(-1) || (!whole && !rows))
      throw n.ctx.fail(
        `${what} is not layer ${k}'s rows of one graph input stacked as (layers * directions, B, H)`,
      );
    if (k > 0 && (stream.name !== name || order.join() !== layout.join()))
      throw n.ctx.fail(`${what} does not come from the same graph input as layer 0's`);
    name = stream.name;
    layout = order;
  });
  const same = layout.join() === "0,1,2";
  const words = ["", "", ""];
  [layers.length > 1 ? "L*D" : "D", "B", "H"].forEach((w, i) => (words[layout[i]!] = w));
  const note = same
    ? null
    : `(${words.join(", ")}): cellc takes (${layers.length > 1 ? "L*D" : "D"}, B, H), transpose it first`;
  return { what: `graph input '${name}'`, role: `--state ${s}`, note };
}
