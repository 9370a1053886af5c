// Imported cells compiled into live kernels once per text, for the import tests.
import { compileOrThrow, loadKernel, type KernelModule, PIPELINE } from "../../src/index.js";

const cache = new Map<string, Promise<KernelModule>>();

export function kernelFor(cellText: string): Promise<KernelModule> {
  let k = cache.get(cellText);
  if (!k) {
    const { optIR, source } = compileOrThrow(cellText, { file: "model.cell" });
    k = loadKernel(
      optIR,
      source,
      PIPELINE.map((p) => p.name),
    );
    cache.set(cellText, k);
  }
  return k;
}
