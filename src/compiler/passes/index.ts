// The optimization pipeline, listed once. Each pass is pure; with `verify` on (always in tests)
// the IR is checked after every pass, and `dump` sees the IR after each one.
import type { CellIR } from "../ir/ir.js";
import { verifyIR } from "../ir/verify.js";
import { cse } from "./cse.js";
import { dce } from "./dce.js";
import { foldConstants } from "./fold-constants.js";
import { fuseBias } from "./fuse-bias.js";
import { groupTerms } from "./group-terms.js";
import { mergeMatvec } from "./merge-matvec.js";
import { narrowRows } from "./narrow-rows.js";
import { simplify } from "./simplify.js";
import { splitConcat } from "./split-concat.js";
import { hoist } from "./hoist.js";
import type { Pass, PassContext } from "./pass.js";

export type { Pass, PassContext } from "./pass.js";

export const PIPELINE: readonly Pass[] = [
  foldConstants,
  simplify,
  splitConcat,
  narrowRows,
  groupTerms,
  mergeMatvec,
  fuseBias,
  cse,
  dce,
  hoist,
];

export function passByName(name: string): Pass | undefined {
  return PIPELINE.find((p) => p.name === name);
}

export function runPipeline(
  ir: CellIR,
  ctx: PassContext,
  passes: readonly Pass[] = PIPELINE,
): CellIR {
  for (const pass of passes) {
    ir = pass.run(ir, ctx);
    if (ctx.verify) verifyIR(ir, `after ${pass.name}`);
    ctx.dump?.(pass.name, ir);
  }
  return ir;
}
