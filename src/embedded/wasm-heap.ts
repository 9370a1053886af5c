// The WebAssembly side of generated kernels: WebAssembly memory with a bump allocator (offsets
// are float indices, 16-byte aligned, with slack after each block so whole-vector reads past the
// end stay inside), the kernels' instance, and weights packed into the GEMM's panel layout.
// Generated modules embed this file; the WebAssembly API is reached through `globalThis` and typed
// here, so the embedded TypeScript needs neither DOM nor Node typings.

/** The part of the WebAssembly API the kernels use. */
export interface WasmApi {
  readonly Memory: new (descriptor: { initial: number }) => WasmMemory;
  readonly Module: new (bytes: Uint8Array) => WasmModule;
  readonly Instance: new (module: WasmModule, imports: object) => { readonly exports: object };
  validate(bytes: Uint8Array): boolean;
}

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

/** A compiled module (opaque). */
export interface WasmModule {
  readonly compiledKernels?: never;
}

/** Outputs per weight panel of the GEMM kernel (wasm/gemm.ts). */
export const PANEL = 8;

/** Floats per row of a kernel buffer: whole panels, and room for a vector written past the end. */
export function rowFloats(length: number): number {
  return ((length + PANEL - 1) & ~(PANEL - 1)) + PANEL;
}

/**
 * Below this many multiply-adds per sample and step (matrix elements), calling into WebAssembly
 * costs more than it saves: measured on LSTMs, JavaScript wins at 4H(I+H) = 48, loses at 128.
 */
const TINY_LAYER_MACS = 64;

/**
 * Whether a layer is so small that the JavaScript kernel runs it faster. Decided from the weights
 * alone, so every piece of a batch split over threads takes the same kernel (same results).
 */
export function isTinyLayer(
  weights: ReadonlyMap<string, { readonly shape: readonly number[] }>,
): boolean {
  let macs = 0;
  for (const t of weights.values()) if (t.shape.length === 2) macs += t.shape[0]! * t.shape[1]!;
  return macs < TINY_LAYER_MACS;
}

/** The compiled kernels, or null where WebAssembly SIMD is unavailable (the JS kernel runs). */
export function compileKernels(base64: string): WasmModule | null {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  const decode = (globalThis as { atob?: (s: string) => string }).atob;
  if (!api || !decode) return null;
  const bytes = Uint8Array.from(decode(base64), (ch) => ch.charCodeAt(0));
  return api.validate(bytes) ? new api.Module(bytes) : null;
}

/**
 * The kernels' memory. It never grows in place: `Memory.grow` detaches the old ArrayBuffer, and
 * the first detached buffer in a process makes V8 check for detachment on every typed-array access
 * from then on (its "array buffer detaching protector"): all JavaScript typed-array code, not ours
 * alone, got ~20% slower. Running out of room instead moves to a new, larger memory and a new
 * instance of the kernels; `f32` and `kernels` change then, so callers read them after allocating.
 */
export class Heap<K extends object> {
  kernels: K;
  /** The first free float. */
  top = 16;
  f32: Float32Array;

  constructor(private readonly module: WasmModule) {
    ({ kernels: this.kernels, f32: this.f32 } = this.instantiate(1));
  }

  /** Room for `floats`, in a new memory at least twice as large when the current one is full. */
  alloc(floats: number): number {
    if (!(floats >= 0)) throw new Error(`internal: cannot allocate ${floats} floats`);
    const at = this.top;
    this.top += ((floats + 3) & ~3) + 16;
    if (this.top > this.f32.length) {
      const pages = Math.ceil(Math.max(this.top * 4, 2 * this.f32.byteLength) / 65536);
      const next = this.instantiate(pages);
      next.f32.set(this.f32);
      ({ kernels: this.kernels, f32: this.f32 } = next);
    }
    return at;
  }

  private instantiate(pages: number): { kernels: K; f32: Float32Array } {
    const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const memory = new api.Memory({ initial: pages });
    const kernels = new api.Instance(this.module, { env: { memory } }).exports as K;
    return { kernels, f32: new Float32Array(memory.buffer) };
  }

  /** A copy of a vector, zero-padded to `length` floats. */
  vector(data: ArrayLike<number>, length: number): number {
    const at = this.alloc(length);
    this.f32.set(data, at);
    return at;
  }

  /** W (m x k, row-major) in panels: panel p holds W[PANEL*p + e, j] at (p*k + j)*PANEL + e. */
  packed(w: ArrayLike<number>, m: number, k: number): number {
    const panels = Math.ceil(m / PANEL);
    const at = this.alloc(panels * k * PANEL);
    const f32 = this.f32;
    for (let p = 0; p < panels; p++) {
      for (let j = 0; j < k; j++) {
        for (let e = 0; e < PANEL; e++) {
          const i = p * PANEL + e;
          f32[at + (p * k + j) * PANEL + e] = i < m ? w[i * k + j]! : 0;
        }
      }
    }
    return at;
  }
}
