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
  grow(pages: number): number;
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

/** The compiled kernels, or null where WebAssembly SIMD is unavailable (the JS kernel runs). */
export function compileKernels(base64: string): WasmModule | null {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  const decode = (globalThis as { atob?: (s: string) => string }).atob;
  if (!api || !decode) return null;
  const bytes = Uint8Array.from(decode(base64), (ch) => ch.charCodeAt(0));
  return api.validate(bytes) ? new api.Module(bytes) : null;
}

export class Heap<K extends object> {
  readonly memory: WasmMemory;
  readonly kernels: K;
  /** The first free float. */
  top = 16;
  f32: Float32Array;

  constructor(module: WasmModule) {
    const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    this.memory = new api.Memory({ initial: 1 });
    const imports = { env: { memory: this.memory } };
    this.kernels = new api.Instance(module, imports).exports as K;
    this.f32 = new Float32Array(this.memory.buffer);
  }

  /** Room for `floats`; growing the memory replaces `f32`, so views are taken after allocating. */
  alloc(floats: number): number {
    if (!(floats >= 0)) throw new Error(`internal: cannot allocate ${floats} floats`);
    const at = this.top;
    this.top += ((floats + 3) & ~3) + 16;
    const bytes = this.top * 4;
    if (bytes > this.memory.buffer.byteLength) {
      this.memory.grow(Math.ceil((bytes - this.memory.buffer.byteLength) / 65536));
      this.f32 = new Float32Array(this.memory.buffer);
    }
    return at;
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
