// Test helpers for the tensor file formats: .npy and .safetensors files built by hand (independently
// of the code under test), and the check every refusal must pass: a one-line, terminal-safe
// DataError that starts with the file's name.
import { expect } from "vitest";
import { type DataError, isDataError } from "../../src/shared/data-error.js";

/** Builds an .npy file: magic, version, little-endian header length, header, data. */
export function npyBytes(
  header: string,
  data: Uint8Array = new Uint8Array(0),
  major = 1,
  minor = 0,
): Uint8Array {
  const text =
    major === 3
      ? new TextEncoder().encode(header)
      : Uint8Array.from(header, (c) => c.charCodeAt(0));
  const start = major === 1 ? 10 : 12;
  const out = new Uint8Array(start + text.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, minor]); // "\x93NUMPY"
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, text.length, true);
  else view.setUint32(8, text.length, true);
  out.set(text, start);
  out.set(data, start + text.length);
  return out;
}

/** The dict of an .npy header, with the shape written as Python would (`(2, 3)`). */
export const npyDict = (descr: string, shape: string, fortran = "False"): string =>
  `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;

/** Builds a safetensors file: u64 LE header length, the header (text, or JSON of a value), data. */
export function stBytes(header: unknown, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const text = new TextEncoder().encode(
    typeof header === "string" ? header : JSON.stringify(header),
  );
  const out = new Uint8Array(8 + text.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
  out.set(text, 8);
  out.set(data, 8 + text.length);
  return out;
}

/** A safetensors header entry. */
export const stEntry = (dtype: string, shape: readonly number[], begin: number, end: number) => ({
  dtype,
  shape,
  data_offsets: [begin, end],
});

/** What is thrown by `run`, or undefined if it returns. */
export function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** Control characters a message must never carry raw (they would act on a terminal). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Asserts that `e` is a DataError whose message is one safe line starting with `source`. */
export function expectCleanDataError(e: unknown, source: string): asserts e is DataError {
  expect(isDataError(e), `expected a DataError, got ${String(e)}`).toBe(true);
  const message = (e as DataError).message;
  expect(message.startsWith(`${source}: `), message).toBe(true);
  expect(CONTROL.test(message), message).toBe(false);
}

/** Asserts that `run` throws a clean DataError (above) whose message contains every word. */
export function expectRefusal(
  run: () => unknown,
  source: string,
  words: readonly string[],
): DataError {
  const e = thrownBy(run);
  expectCleanDataError(e, source);
  for (const w of words) expect(e.message).toContain(w);
  return e;
}
