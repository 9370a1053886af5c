// JSON from data files (a safetensors header, a case.json): parsed only after a linear scan has
// bounded its nesting, so nothing that walks the result recursively (JSON.stringify included) can
// overflow the stack; and previewed for messages in bounded time, however large the value.
import { MAX_JSON_DEPTH } from "../shared/limits.js";

/** `JSON.parse(text)`, or `fail(detail)` when the text is nested too deeply or is not JSON. */
export function parseJsonText(text: string, fail: (detail: string) => Error): unknown {
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw fail(`nested more than ${MAX_JSON_DEPTH} levels deep (the limit for arrays and objects)`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw fail(`not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Whether `[`/`{` nest deeper than `limit` outside strings (valid JSON or not). */
function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (c === "[" || c === "{") {
      if (++depth > limit) return true;
    } else if ((c === "]" || c === "}") && depth > 0) {
      depth--;
    }
  }
  return false;
}

/** A short JSON rendering of a found value for messages ("nothing" for undefined). */
export function previewJson(v: unknown, room = 60): string {
  const s = render(v, room);
  return s.length > room ? `${s.slice(0, room - 3)}...` : s;
}

/** Renders at most about `room` characters of each array or object, never the whole value. */
function render(v: unknown, room: number): string {
  if (v === undefined) return "nothing";
  if (typeof v === "string") return JSON.stringify(v.slice(0, room + 1));
  if (typeof v !== "object" || v === null) return JSON.stringify(v) ?? String(v);
  if (Array.isArray(v)) {
    const items: unknown[] = v;
    return bounded("[", "]", items.length, (i) => render(items[i], room), room);
  }
  // Only own keys: JSON.parse makes "__proto__" an own property like any other.
  const keys = Object.keys(v);
  const show = (i: number): string => {
    const key = keys[i] ?? "";
    return `${render(key, room)}:${render((v as Record<string, unknown>)[key], room)}`;
  };
  return bounded("{", "}", keys.length, show, room);
}

/** `open`, the first items joined by commas until `room` characters are passed, `close`. */
function bounded(
  open: string,
  close: string,
  count: number,
  show: (i: number) => string,
  room: number,
): string {
  let s = open;
  // Past `room` the caller cuts the text, so later items would never be seen.
  for (let i = 0; i < count && s.length <= room; i++) s += (i > 0 ? "," : "") + show(i);
  return s + close;
}
