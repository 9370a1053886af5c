// `--passes dce,hoist` (or `none`): which optimization passes to run, by name, in that order.
import { PIPELINE, type Pass } from "../compiler/passes/index.js";
import { UsageError } from "./usage.js";

export const PASSES_OPTION = { passes: { type: "string" } } as const;

export function passesFrom(
  value: string | boolean | (string | boolean)[] | undefined,
): readonly Pass[] {
  if (value === undefined) return PIPELINE;
  const text = String(value).trim();
  if (text === "none") return [];
  return text.split(",").map((name) => {
    const pass = PIPELINE.find((p) => p.name === name.trim());
    if (!pass) {
      const known = PIPELINE.map((p) => p.name).join(", ");
      throw new UsageError(`unknown pass '${name.trim()}' (passes: ${known}, or none)`);
    }
    return pass;
  });
}
