// Builds single-node ONNX models (LSTM, GRU of either reset convention) in memory with PyTorch-layout weights as initializers.
// Field numbers are those of onnx/onnx.proto (IR version 8); only the fields used here appear.
import { reorderGates } from "./impl.mjs";
import { bytes, int, message, str, sub } from "./protobuf.mjs";

const IR_VERSION = 8;
const OPSET = 14; // LSTM-14 and GRU-14 (adds `layout`; we keep the default seq-first layout)
const FLOAT = 1; // TensorProto.DataType.FLOAT
const ATTR_INT = 2; // AttributeProto.AttributeType.INT

// ModelProto: 1 ir_version, 2 producer_name, 7 graph, 8 opset_import.
// OperatorSetIdProto: 1 domain, 2 version.
// GraphProto: 1 node, 2 name, 5 initializer, 11 input, 12 output.
// NodeProto: 1 input, 2 output, 3 name, 4 op_type, 5 attribute.
// AttributeProto: 1 name, 3 i, 20 type.
// TensorProto: 1 dims, 2 data_type, 8 name, 9 raw_data (little-endian, as ONNX requires).
// ValueInfoProto: 1 name, 2 type. TypeProto: 1 tensor_type. TypeProto.Tensor: 1 elem_type, 2 shape.
// TensorShapeProto: 1 dim. Dimension: 1 dim_value.

/** @param {string} name @param {number[]} dims @param {Float32Array} data */
function tensor(name, dims, data) {
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength); // x86/ARM are LE
  return message([...dims.map((d) => int(1, d)), int(2, FLOAT), str(8, name), bytes(9, raw)]);
}

/** A float tensor's name, element type and static shape. */
function valueInfo(name, dims) {
  const shape = dims.map((d) => sub(1, [int(1, d)]));
  return message([str(1, name), sub(2, [sub(1, [int(1, FLOAT), sub(2, shape)])])]);
}

const intAttr = (name, value) => message([str(1, name), int(3, value), int(20, ATTR_INT)]);

/**
 * @param {{ op: string, inputs: string[], outputs: string[], attrs: [string, number][],
 *   initializers: { name: string, dims: number[], data: Float32Array }[],
 *   graphInputs: [string, number[]][], graphOutputs: [string, number[]][] }} g
 * @returns {Uint8Array} a serialized ModelProto
 */
function singleNodeModel(g) {
  const node = message([
    ...g.inputs.map((n) => str(1, n)), // "" marks an omitted optional input
    ...g.outputs.map((n) => str(2, n)),
    str(3, g.op.toLowerCase()),
    str(4, g.op),
    ...g.attrs.map(([n, v]) => bytes(5, intAttr(n, v))),
  ]);
  const graph = message([
    bytes(1, node),
    str(2, `bench_${g.op.toLowerCase()}`),
    ...g.initializers.map((t) => bytes(5, tensor(t.name, t.dims, t.data))),
    ...g.graphInputs.map(([n, d]) => bytes(11, valueInfo(n, d))),
    ...g.graphOutputs.map(([n, d]) => bytes(12, valueInfo(n, d))),
  ]);
  return message([
    int(1, IR_VERSION),
    str(2, "cellc-bench"),
    bytes(7, graph),
    sub(8, [str(1, ""), int(2, OPSET)]),
  ]);
}

/** Concatenates Float32Arrays. */
const cat = (...parts) => {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
};

/**
 * An ONNX model for one recurrent op. `withState` adds initial_h (and initial_c) as graph inputs,
 * for streaming; otherwise they are omitted and ONNX starts from zeros.
 * `linearBeforeReset` (GRU only) is ONNX's attribute: 1 applies the reset gate after the
 * recurrent product and its bias, as PyTorch's GRU (cells/gru.cell); 0 before the product, as
 * cells/gru_reset_before.cell.
 * @param {"LSTM" | "GRU"} op
 * @param {Record<string, Float32Array>} w PyTorch layout: weight_ih, weight_hh, bias_ih, bias_hh
 */
export function recurrentModel(op, w, { T, B, I, H, withState, linearBeforeReset = 1 }) {
  // ONNX LSTM rows are i, o, f, c (PyTorch: i, f, g, o); ONNX GRU rows are z, r, h (PyTorch: r, z, n).
  const order = op === "LSTM" ? [0, 3, 1, 2] : [1, 0, 2];
  const G = order.length;
  const states = op === "LSTM" ? ["initial_h", "initial_c"] : ["initial_h"];
  const inputs = ["X", "W", "R", "B", "", ...(withState ? states : [])];
  const outputs = op === "LSTM" ? ["Y", "Y_h", "Y_c"] : ["Y", "Y_h"];
  const attrs = [["hidden_size", H]];
  if (op === "GRU") attrs.push(["linear_before_reset", linearBeforeReset]);
  const bias = cat(reorderGates(w.bias_ih, H, 1, order), reorderGates(w.bias_hh, H, 1, order));
  return singleNodeModel({
    op,
    inputs,
    outputs,
    attrs,
    initializers: [
      { name: "W", dims: [1, G * H, I], data: reorderGates(w.weight_ih, H, I, order) },
      { name: "R", dims: [1, G * H, H], data: reorderGates(w.weight_hh, H, H, order) },
      { name: "B", dims: [1, 2 * G * H], data: bias },
    ],
    graphInputs: [["X", [T, B, I]], ...(withState ? states.map((s) => [s, [1, B, H]]) : [])],
    graphOutputs: outputs.map((n) => [n, n === "Y" ? [T, 1, B, H] : [1, B, H]]),
  });
}
