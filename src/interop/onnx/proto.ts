// Reads and writes ONNX model bytes with protobufjs, from the descriptor generated from ONNX's own
// onnx.proto: no hand-written wire format. Malformed bytes are a DataError naming the file.
import protobuf from "protobufjs/light.js";
import { DataError } from "../../shared/data-error.js";
import { ONNX_DESCRIPTOR } from "./descriptor.js";
import type { ModelProto } from "./types.js";

let modelType: protobuf.Type | null = null;

function model(): protobuf.Type {
  modelType ??= protobuf.Root.fromJSON(ONNX_DESCRIPTOR).lookupType("onnx.ModelProto");
  return modelType;
}

const TO_OBJECT: protobuf.IConversionOptions = { longs: Number, enums: Number, arrays: true };

/** The model in `bytes`; `file` names it in errors. */
export function decodeModel(bytes: Uint8Array, file: string): ModelProto {
  let message: protobuf.Message;
  try {
    message = model().decode(bytes);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new DataError(file, null, `not an ONNX model (${why})`);
  }
  return model().toObject(message, TO_OBJECT) as ModelProto;
}

/** `m` as ONNX model bytes. */
export function encodeModel(m: ModelProto): Uint8Array {
  const type = model();
  return type.encode(type.fromObject(m as unknown as Record<string, unknown>)).finish();
}
