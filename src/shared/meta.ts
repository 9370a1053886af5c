// What the runtime knows about a compiled cell: its interface with symbolic shapes. Generated
// modules export this as `meta`; the reference interpreter derives it from the IR.
import type { Shape } from "./size.js";

export interface ValueMeta {
  readonly name: string;
  readonly shape: Shape;
}

export interface ParamMeta extends ValueMeta {
  /** Absent weights are filled with this value; null means the weight is required. */
  readonly fill: number | null;
}

export interface SlotMeta {
  readonly slot: string;
  readonly activation: string;
  readonly args: readonly number[];
}

export interface CellMeta {
  readonly name: string;
  readonly sizes: readonly string[];
  readonly input: ValueMeta;
  readonly states: readonly ValueMeta[];
  readonly params: readonly ParamMeta[];
  /** The per-step output; its size is what the next layer of a stack receives. */
  readonly output: ValueMeta;
  readonly slots: readonly SlotMeta[];
}
