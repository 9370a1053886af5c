// One node of the graph as errors name it: `node 3 'name' (LSTM)` (DataError escapes what a name
// may hold), with typed reads of its attributes that refuse a wrong type or an unknown name.
import { DataError } from "../../shared/data-error.js";
import { AttributeType, type AttributeProto, type NodeProto } from "../onnx/types.js";

const TEXT = new TextDecoder("utf-8");

export class NodeContext {
  readonly op: string;
  readonly label: string;
  private readonly attrs: ReadonlyMap<string, AttributeProto>;

  constructor(
    readonly node: NodeProto,
    readonly index: number,
    readonly source: string,
  ) {
    this.op = node.op_type ?? "";
    const name = node.name ? ` '${node.name}'` : "";
    this.label = `node ${index}${name} (${this.op || "no op_type"})`;
    this.attrs = new Map(node.attribute.map((a) => [a.name ?? "", a]));
  }

  fail(detail: string): DataError {
    return new DataError(this.source, null, `${this.label}: ${detail}`);
  }

  /** Refuses attributes other than `known`: one cellc ignored could change the meaning. */
  onlyAttributes(known: readonly string[]): void {
    for (const name of this.attrs.keys()) {
      if (!known.includes(name)) throw this.fail(`attribute '${name}' is not supported`);
    }
  }

  has(name: string): boolean {
    return this.attrs.has(name);
  }

  private get(name: string, type: number, field: keyof AttributeProto): AttributeProto | null {
    const a = this.attrs.get(name);
    if (!a) return null;
    // Old exporters leave `type` unset; the field that is set says what the attribute holds.
    const set = a.type ?? 0;
    const present = a[field];
    const ok =
      set === type ||
      (set === 0 && (Array.isArray(present) ? present.length > 0 : present !== undefined));
    if (!ok) throw this.fail(`attribute '${name}' has type ${set}, expected ${type}`);
    return a;
  }

  int(name: string, fallback: number): number {
    return this.get(name, AttributeType.INT, "i")?.i ?? fallback;
  }

  float(name: string): number | null {
    return this.get(name, AttributeType.FLOAT, "f")?.f ?? null;
  }

  string(name: string, fallback: string): string {
    const a = this.get(name, AttributeType.STRING, "s");
    return a?.s ? TEXT.decode(a.s) : fallback;
  }

  ints(name: string): readonly number[] | null {
    return this.get(name, AttributeType.INTS, "ints")?.ints ?? null;
  }

  floats(name: string): readonly number[] | null {
    return this.get(name, AttributeType.FLOATS, "floats")?.floats ?? null;
  }

  strings(name: string): readonly string[] | null {
    return (
      this.get(name, AttributeType.STRINGS, "strings")?.strings.map((s) => TEXT.decode(s)) ?? null
    );
  }

  tensor(name: string): AttributeProto["t"] | null {
    return this.get(name, AttributeType.TENSOR, "t")?.t ?? null;
  }

  /** Input `i`'s value name, or null when absent or empty (how ONNX skips an optional one). */
  input(i: number): string | null {
    const name = this.node.input[i];
    return name ? name : null;
  }

  output(i: number): string | null {
    const name = this.node.output[i];
    return name ? name : null;
  }
}
