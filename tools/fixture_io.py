"""Writes reference cases in the fixtures format (test/fixtures/README.md): case.json,
weights.safetensors (written by hand: an 8-byte little-endian header length, a JSON header with
each tensor's dtype, shape and data offsets, then the raw float32 data), and .npy arrays."""
import json
import os
import struct

import numpy as np


def write_safetensors(path, tensors):
    """tensors: name -> float array; stored as little-endian float32 in name order. A scalar
    keeps its shape [] (np.ascontiguousarray would make it [1]); tobytes() is C order anyway."""
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        data = np.asarray(tensors[name], dtype="<f4")
        header[name] = {"dtype": "F32", "shape": list(data.shape),
                        "data_offsets": [offset, offset + data.nbytes]}
        blobs.append(data.tobytes())
        offset += data.nbytes
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def write_case(root, name, case, weights, arrays):
    """case: the case.json fields; arrays: file name -> array (float arrays saved as float32)."""
    folder = os.path.join(root, name)
    os.makedirs(folder, exist_ok=True)
    write_safetensors(os.path.join(folder, case["weights"]), weights)
    for file, array in arrays.items():
        np.save(os.path.join(folder, file), np.asarray(array, dtype=np.float32))
    with open(os.path.join(folder, "case.json"), "w") as f:
        json.dump(case, f, indent=2)
        f.write("\n")
