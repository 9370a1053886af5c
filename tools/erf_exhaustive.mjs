// Checks the WebAssembly SIMD erf (src/compiler/wasm/erf.ts) on every finite float32 against the
// float64 erf of src/embedded/helpers.ts (about one float64 unit, checked against Python's
// math.erf in test/embedded/erf.test.ts), 2^20 at a time, and prints the worst error in float32
// units (2^-24 of the value, as in test/codegen/wasm-math.test.ts). Also counts the arguments
// whose result is not the float32 rounding of erf. A minute or two: npm run build, then
//   node tools/erf_exhaustive.mjs
import { Code } from "../dist/compiler/wasm/code.js";
import { VectorMath } from "../dist/compiler/wasm/math.js";
import { assemble } from "../dist/compiler/wasm/module.js";
import { I32 } from "../dist/compiler/wasm/opcodes.js";
import { erf } from "../dist/embedded/helpers.js";
import { Heap, compileKernels } from "../dist/embedded/wasm-heap.js";

/** A module whose `fn(in, out, n)` applies erf to n floats, 4 at a time. */
function kernel() {
  const c = new Code([I32, I32, I32]);
  const math = new VectorMath(c);
  const i = c.local(I32);
  c.openConstantPool();
  const address = (base) => c.get(base).get(i).i32(4).op(0x6c).op(0x6a); // base + 4 * i
  c.forLoop(
    i,
    () => c.i32(0),
    () => c.get(2),
    4,
    () => {
      address(1);
      address(0).load128();
      math.erf();
      math.release();
      c.store128();
    },
  );
  c.closeConstantPool();
  const bytes = assemble([{ name: "fn", params: c.params, locals: c.locals, body: c.bytes }]);
  return new Heap(compileKernels(Buffer.from(bytes).toString("base64")));
}

const N = 2 ** 20;
const heap = kernel();
const [input, output] = [heap.alloc(N), heap.alloc(N)];
const bits = new Uint32Array(heap.f32.buffer, input * 4, N);
let worst = { units: 0, x: 0 };
let misrounded = 0;
let finite = 0;
for (let chunk = 0; chunk < 2 ** 32 / N; chunk++) {
  for (let k = 0; k < N; k++) bits[k] = chunk * N + k;
  heap.kernels.fn(4 * input, 4 * output, N);
  for (let k = 0; k < N; k++) {
    const x = heap.f32[input + k];
    if (!Number.isFinite(x)) continue;
    finite++;
    const want = erf(x);
    const got = heap.f32[output + k];
    if (got !== Math.fround(want)) misrounded++;
    const units = Math.abs(got - want) / Math.max(Math.abs(want), 2 ** -126) / 2 ** -24;
    if (units > worst.units) worst = { units, x };
  }
}
console.log(`erf on every finite float32: worst ${worst.units} units at x = ${worst.x}`);
console.log(`${misrounded} of ${finite} differ from the float32 rounding of the float64 erf`);
