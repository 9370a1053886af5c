// Builds one ONNX graph (the model's, or a Scan's body) node by node. Value names come from one
// NameSource per model, because ONNX forbids a subgraph to reuse a name of its outer graphs.
// Constants are initializers of the graph that uses them, made once per value.
import type {
  AttributeProto,
  GraphProto,
  NodeProto,
  TensorProto,
  ValueInfoProto,
} from "../onnx/types.js";
import { floatTensor, int64Tensor } from "./proto-values.js";

/** Unique value names for a whole model: `zi`, `zi_2`, ... Hints are sanitized to [A-Za-z0-9_]. */
export class NameSource {
  private readonly used = new Set<string>();

  /** A name of the model's interface (`X`, `h_n`): exactly `name`, or an internal error. */
  reserve(name: string): string {
    if (this.used.has(name)) throw new Error(`internal: the ONNX name '${name}' is taken twice`);
    this.used.add(name);
    return name;
  }

  /** A fresh name built from `hint` (a cell's name for the value, primes written as `_next`). */
  claim(hint: string): string {
    const base = hint.replace(/'/g, "_next").replace(/[^A-Za-z0-9_]/g, "_") || "v";
    let name = base;
    for (let k = 2; this.used.has(name); k++) name = `${base}_${k}`;
    this.used.add(name);
    return name;
  }

  has(name: string): boolean {
    return this.used.has(name);
  }
}

export interface OpOptions {
  readonly attrs?: readonly AttributeProto[];
  /** The output's name (a graph output such as `h_n`), already reserved; else one from `hint`. */
  readonly output?: string;
  readonly hint?: string;
}

export class GraphBuilder {
  private readonly nodes: NodeProto[] = [];
  private readonly initializers: TensorProto[] = [];
  private readonly constants = new Map<string, string>();

  constructor(readonly names: NameSource) {}

  /** One node with one output; returns the output's name. */
  op(opType: string, inputs: readonly string[], options: OpOptions = {}): string {
    const output = options.output ?? this.names.claim(options.hint ?? opType.toLowerCase());
    this.opMulti(opType, inputs, [output], options.attrs);
    return output;
  }

  /** One node with the given (already named) outputs; "" leaves an optional output out. */
  opMulti(
    opType: string,
    inputs: readonly string[],
    outputs: readonly string[],
    attrs: readonly AttributeProto[] = [],
  ): void {
    this.nodes.push({
      op_type: opType,
      input: [...inputs],
      output: [...outputs],
      attribute: [...attrs],
    });
  }

  /** A float initializer of the given shape (float32, rounded from `values`). */
  floats(hint: string, dims: readonly number[], values: ArrayLike<number>): string {
    const name = this.names.claim(hint);
    this.initializers.push(floatTensor(name, dims, values));
    return name;
  }

  /** A float scalar (shape []), one initializer per value. */
  scalar(value: number): string {
    return this.cached(`f${Object.is(value, -0) ? "-0" : value}`, () =>
      this.floats("const", [], [value]),
    );
  }

  /** A 1-D int64 tensor (axes, starts, shapes), one initializer per list. */
  ints(values: readonly number[]): string {
    return this.cached(`i${values.join(",")}`, () => {
      const name = this.names.claim("ints");
      this.initializers.push(int64Tensor(name, [values.length], values));
      return name;
    });
  }

  /** An int64 number (shape []), for Range and Gather. */
  int(value: number): string {
    return this.cached(`n${value}`, () => {
      const name = this.names.claim("int");
      this.initializers.push(int64Tensor(name, [], [value]));
      return name;
    });
  }

  /** The value `make` builds, built once per `key` in this graph. */
  cached(key: string, make: () => string): string {
    let name = this.constants.get(key);
    if (name === undefined) {
      name = make();
      this.constants.set(key, name);
    }
    return name;
  }

  graph(name: string, inputs: readonly ValueInfoProto[], outputs: readonly ValueInfoProto[]) {
    const graph: GraphProto = {
      name,
      node: this.nodes,
      initializer: this.initializers,
      input: [...inputs],
      output: [...outputs],
      value_info: [],
    };
    return graph;
  }
}
