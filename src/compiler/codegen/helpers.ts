// Functions the generated code calls, emitted once each and only when used [sucrase HelperManager].
// Their source is src/embedded/helpers.ts; the bundle holds them formatted, as prettier leaves
// them (test/compiler/golden.test.ts checks it), so generated modules need not format them again.
import { HELPERS, type HelperName } from "./runtime-bundle.js";

const NAMES = Object.keys(HELPERS) as HelperName[];

export class HelperManager {
  private readonly used = new Set<HelperName>();

  /** Marks a helper as used and returns the name to call it by. */
  use(name: HelperName): string {
    this.used.add(name);
    return name;
  }

  names(): string[] {
    return [...NAMES];
  }

  /** The used helpers, in a fixed order, each followed by a blank line. */
  text(typed: boolean): string {
    return NAMES.filter((name) => this.used.has(name))
      .map((name) => `${typed ? HELPERS[name].ts : HELPERS[name].js}\n`)
      .join("");
  }
}
