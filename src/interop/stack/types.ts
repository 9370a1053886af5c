// What an importer makes of a model: a stack of recurrent layers that one cellc cell computes,
// with its weights already in cellc's names and PyTorch's gate order. cell-text.ts writes the
// .cell file from it and weights.ts the state_dict; neither knows where the model came from.
import type { Tensor } from "../../shared/tensor.js";

/**
 * An activation of cellc's library (src/compiler/resolve/library.ts), a primitive, or one of
 * custom-fns.ts, with its arguments after the input.
 */
export interface Activation {
  readonly name: string;
  readonly args: readonly number[];
}

/** The cell every layer and direction computes; `clip` bounds every activation's input. */
export type CellSpec =
  | {
      readonly kind: "lstm";
      /** Diagonal peephole weights peep_i, peep_f, peep_o (ONNX's P). */
      readonly peepholes: boolean;
      /** f = 1 - i (ONNX's input_forget): three gate blocks i, g, o and no peep_f. */
      readonly coupled: boolean;
      readonly clip: number | null;
      readonly gate: Activation;
      readonly cand: Activation;
      readonly cell: Activation;
    }
  | {
      readonly kind: "gru";
      /** The reset gate scales the recurrent product after its bias (PyTorch); else before. */
      readonly resetAfter: boolean;
      readonly clip: number | null;
      readonly gate: Activation;
      readonly cand: Activation;
    }
  | { readonly kind: "rnn"; readonly clip: number | null; readonly act: Activation };

export type Directions = "forward" | "backward" | "bidirectional";

export interface RecurrentStack {
  readonly cell: CellSpec;
  readonly directions: Directions;
  /**
   * layers[k][d]: the weights of layer k, direction d (d = 0 the only direction of a forward or
   * backward stack), by parameter name without suffix (`weight_ih`), gate rows in PyTorch's order.
   */
  readonly layers: readonly (readonly ReadonlyMap<string, Tensor>[])[];
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly batchFirst: boolean;
  /**
   * The .cell file's opening comment lines, without '#': where the model came from and how its
   * weights and activations were mapped. Importers build them only from fixed words, numbers and
   * names that passed safeName(), so no text of the model file reaches the .cell unchecked.
   */
  readonly origin: readonly string[];
}

/** Number of gate blocks of `cell`'s weight_ih rows. */
export function gateCount(cell: CellSpec): number {
  if (cell.kind === "lstm") return cell.coupled ? 3 : 4;
  return cell.kind === "gru" ? 3 : 1;
}

/** One input or output of the model, as `cellc run` takes or writes it (for the command line). */
export interface IoNote {
  /** The model's value in words: "graph input 'X'" (printable() before showing it). */
  readonly what: string;
  /** What it is to `cellc run`: "--input", "--lengths", "--state h", "output.npy", "h_n.npy". */
  readonly role: string;
  /** Its layout in words when it differs from cellc's, else null. */
  readonly note: string | null;
}
