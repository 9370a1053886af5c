// Finds cycles in a dependency graph (lets and state updates; functions and slots), so that
// lowering, which follows dependencies on demand, never loops. A depth-first search with an
// explicit stack: a chain of 100,000 lets is as safe as one of ten.

export interface GraphNode {
  readonly key: string;
  readonly label: string;
  readonly deps: readonly string[];
}

/** Each cycle once, as the labels along it with the first repeated at the end. */
export function findCycles(nodes: readonly GraphNode[]): { at: string; path: string[] }[] {
  const byKey = new Map(nodes.map((n) => [n.key, n]));
  const state = new Map<string, "active" | "done">();
  const cycles: { at: string; path: string[] }[] = [];
  // The keys on the current path, and for each the index of the next dependency to follow.
  const path: string[] = [];
  const positions = new Map<string, number>();
  const next: number[] = [];

  const enter = (key: string): void => {
    state.set(key, "active");
    positions.set(key, path.length);
    path.push(key);
    next.push(0);
  };
  for (const root of nodes) {
    if (state.has(root.key)) continue;
    enter(root.key);
    while (path.length > 0) {
      const key = path[path.length - 1]!;
      const deps = byKey.get(key)?.deps ?? [];
      const i = next[next.length - 1]!;
      if (i >= deps.length) {
        path.pop();
        next.pop();
        positions.delete(key);
        state.set(key, "done");
        continue;
      }
      next[next.length - 1] = i + 1;
      const dep = deps[i]!;
      if (!byKey.has(dep)) continue;
      const s = state.get(dep);
      if (s === "active") {
        const loop = path.slice(positions.get(dep));
        cycles.push({ at: dep, path: [...loop, dep].map((k) => byKey.get(k)!.label) });
      } else if (s === undefined) enter(dep);
    }
  }
  return cycles;
}
