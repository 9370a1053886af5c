// The pass interface: a pure function from IR to IR with a name, listed once in the pipeline.
import type { CellIR } from "../ir/ir.js";

export interface PassContext {
  /** Run the IR verifier after each pass (always on in tests). */
  readonly verify: boolean;
  /** Receives the printed IR after each pass (`cellc ir --after PASS`). */
  readonly dump?: (pass: string, ir: CellIR) => void;
}

export interface Pass {
  readonly name: string;
  /** Must not mutate `ir`; returns `ir` itself when nothing changed. */
  run(ir: CellIR, ctx: PassContext): CellIR;
}
