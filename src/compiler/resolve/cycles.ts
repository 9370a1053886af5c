// Finds cycles in a small dependency graph (lets and state updates; functions and slots), so that
// lowering, which follows dependencies on demand, never loops.

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
  const stack: string[] = [];

  const visit = (key: string): void => {
    state.set(key, "active");
    stack.push(key);
    for (const dep of byKey.get(key)?.deps ?? []) {
      if (!byKey.has(dep)) continue;
      const s = state.get(dep);
      if (s === "active") {
        const loop = stack.slice(stack.indexOf(dep));
        cycles.push({ at: dep, path: [...loop, dep].map((k) => byKey.get(k)!.label) });
      } else if (s === undefined) visit(dep);
    }
    stack.pop();
    state.set(key, "done");
  };
  for (const n of nodes) if (!state.has(n.key)) visit(n.key);
  return cycles;
}
