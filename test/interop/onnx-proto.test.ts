// ONNX model bytes through protobufjs and the descriptor generated from onnx.proto: what is written
// reads back, ONNX Runtime accepts it, and bytes that are not a model are one DataError.
import * as ort from "onnxruntime-web";
import { describe, expect, it } from "vitest";
import { decodeModel, encodeModel } from "../../src/interop/onnx/proto.js";
import type { ModelProto } from "../../src/interop/onnx/types.js";
import { isDataError } from "../../src/shared/data-error.js";

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A model whose one node adds two float vectors of length 3. */
const ADD: ModelProto = {
  ir_version: 8,
  opset_import: [{ domain: "", version: 14 }],
  graph: {
    name: "add",
    node: [{ op_type: "Add", input: ["a", "b"], output: ["c"], attribute: [] }],
    initializer: [
      {
        name: "b",
        dims: [3],
        data_type: 1,
        float_data: [],
        double_data: [],
        int32_data: [],
        int64_data: [],
        raw_data: new Uint8Array(Float32Array.of(1, 2, 3).buffer),
      },
    ],
    input: [
      { name: "a", type: { tensor_type: { elem_type: 1, shape: { dim: [{ dim_value: 3 }] } } } },
    ],
    output: [{ name: "c" }],
    value_info: [],
  },
};

describe("ONNX protobuf", () => {
  it("reads back what it writes, attributes and 64-bit dimensions included", () => {
    const model: ModelProto = {
      ...ADD,
      graph: {
        ...ADD.graph!,
        node: [
          {
            op_type: "LSTM",
            input: ["X"],
            output: ["Y"],
            attribute: [
              { name: "hidden_size", type: 2, i: 2 ** 40, floats: [], ints: [], strings: [] },
              {
                name: "activations",
                type: 8,
                floats: [],
                ints: [],
                strings: [ascii("Sigmoid"), ascii("Tanh")],
              },
            ],
          },
        ],
      },
    };
    const back = decodeModel(encodeModel(model), "m.onnx");
    const [attribute, strings] = back.graph!.node[0]!.attribute;
    expect(attribute!.i).toBe(2 ** 40);
    expect(strings!.strings.map((s) => new TextDecoder().decode(s))).toEqual(["Sigmoid", "Tanh"]);
    expect(back.graph!.initializer[0]!.dims).toEqual([3]);
    expect([...back.graph!.initializer[0]!.raw_data!]).toEqual([
      ...new Uint8Array(Float32Array.of(1, 2, 3).buffer),
    ]);
  });

  it("writes models ONNX Runtime runs", async () => {
    const session = await ort.InferenceSession.create(encodeModel(ADD));
    const out = await session.run({
      a: new ort.Tensor("float32", Float32Array.of(10, 20, 30), [3]),
    });
    expect([...(out["c"]!.data as Float32Array)]).toEqual([11, 22, 33]);
  });

  it("refuses bytes that are not a model with one DataError naming the file", () => {
    const bad = Uint8Array.of(0x0a, 0xff, 0xff, 0xff);
    let error: unknown;
    try {
      decodeModel(bad, "broken.onnx");
    } catch (e) {
      error = e;
    }
    expect(isDataError(error)).toBe(true);
    expect((error as Error).message).toMatch(/^broken\.onnx: not an ONNX model \(.+\)$/);
  });
});
