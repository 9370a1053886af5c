// Numbers written into generated .cell text: the shortest decimal that gives back the same float32
// (kernels compute in float32, and ONNX stores its attributes as float32), so 0.1f reads 0.1.

/** `x` as a cellc literal, with a leading '-' for negatives; non-finite values are a bug here. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`internal: cannot write ${x} into a cell`);
  const target = Math.fround(x);
  for (let digits = 1; digits < 17; digits++) {
    const text = Number(x.toPrecision(digits));
    if (Math.fround(text) === target) return String(text);
  }
  return String(x);
}
