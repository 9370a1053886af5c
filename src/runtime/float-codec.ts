// Little-endian bytes <-> float arrays for the tensor file formats. Reads always copy into a fresh
// array, so the byte offset's alignment never matters; f16 and bf16 widen exactly to f32.

import type { FloatArray } from "../shared/tensor.js";

export type FloatKind = "f16" | "bf16" | "f32" | "f64";

export const BYTES_PER_ITEM: Readonly<Record<FloatKind, number>> = {
  f16: 2,
  bf16: 2,
  f32: 4,
  f64: 8,
};

/** IEEE 754 binary16 bits -> the same value as a number (every f16 value is exact in f32). */
export function f16ToF32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24; // zero or subnormal: 0.fraction * 2^-14
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

// bf16 is the upper half of an f32, so widening is a shift; both views share the host's byte order.
const scratchF32 = new Float32Array(1);
const scratchU32 = new Uint32Array(scratchF32.buffer);

/** bfloat16 bits -> the same value as a number (bf16 is an f32 with the low 16 bits cut off). */
export function bf16ToF32(bits: number): number {
  scratchU32[0] = (bits & 0xffff) << 16;
  return scratchF32[0] ?? NaN;
}

/** Reads `count` little-endian items of `kind` starting at `offset`; f16/bf16 come back as f32. */
export function decodeFloats(
  bytes: Uint8Array,
  offset: number,
  count: number,
  kind: FloatKind,
): FloatArray {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * BYTES_PER_ITEM[kind]);
  if (kind === "f64") {
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = view.getFloat64(8 * i, true);
    return out;
  }
  const out = new Float32Array(count);
  if (kind === "f32") {
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
  } else {
    const widen = kind === "f16" ? f16ToF32 : bf16ToF32;
    for (let i = 0; i < count; i++) out[i] = widen(view.getUint16(2 * i, true));
  }
  return out;
}

/** Writes `data` little-endian into `out` at `offset` (f32 for Float32Array, f64 for Float64Array). */
export function encodeFloats(data: FloatArray, out: Uint8Array, offset: number): void {
  const view = new DataView(out.buffer, out.byteOffset + offset, data.byteLength);
  if (data instanceof Float32Array) {
    for (let i = 0; i < data.length; i++) view.setFloat32(4 * i, data[i] ?? 0, true);
  } else {
    for (let i = 0; i < data.length; i++) view.setFloat64(8 * i, data[i] ?? 0, true);
  }
}
