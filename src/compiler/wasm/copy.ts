// A row-by-row vector copy, in WebAssembly: dst[r, j] = src[r, j] for r < rows, j < length. Used
// for concats and for state updates that are not computed in place. Whole vectors are copied, so
// up to three floats past `length` are written: destination rows leave room for them.
import { Code } from "./code.js";
import type { WasmFunction } from "./module.js";
import { I32, Op } from "./opcodes.js";

export function copyFunction(): WasmFunction {
  const c = new Code([I32, I32, I32, I32, I32, I32]);
  const [rows, length, src, srcStride, dst, dstStride] = [0, 1, 2, 3, 4, 5];
  const r = c.local(I32);
  const jb = c.local(I32);
  const end = c.local(I32);
  c.get(length).i32(4).op(Op.i32Mul).set(end);
  c.forLoop(
    r,
    () => c.i32(0),
    () => c.get(rows),
    1,
    () => {
      c.forLoop(
        jb,
        () => c.i32(0),
        () => c.get(end),
        16,
        () => {
          c.get(dst).get(jb).op(Op.i32Add);
          c.get(src).get(jb).op(Op.i32Add).load128();
          c.store128();
        },
      );
      c.add(src, srcStride, true);
      c.add(dst, dstStride, true);
    },
  );
  return { name: "copy", params: c.params, locals: c.locals, body: c.bytes };
}
