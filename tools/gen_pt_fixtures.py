#!/usr/bin/env python3
"""Writes test/fixtures-pt: state_dicts saved by real PyTorch with torch.save (.pt), the values
PyTorch itself holds for them, and hostile .pt files the reader must refuse without running them.

Real files (each X.pt has X.safetensors beside it: the same tensors, as PyTorch reads them back
from the .pt, in the state_dict's order; float32 and float64 as themselves, float16 and bfloat16
widened to float32, which is exact):

  {lstm_2layer_bidir,lstmp,gru,rnn}.{float32,float64,float16,bfloat16}.pt
      nn.LSTM(3, 4, num_layers=2, bidirectional=True), nn.LSTM(3, 5, proj_size=2), nn.GRU(3, 4),
      nn.RNN(3, 4): model.to(dtype).state_dict()
  views.float32.pt     tensors sharing one storage: a matrix, its transpose, a row, a column,
                       every other column, an offset slice, a broadcast (stride 0), a scalar, an
                       empty tensor
  flat_lstm.float32.pt an nn.LSTM(3, 4) state_dict whose tensors are views of one flat buffer, as
                       cuDNN's flattened weights are (offsets into a shared storage)
  parameters.float32.pt  dict(model.named_parameters()): nn.Parameter, _rebuild_parameter
  protocol4.float32.pt torch.save(..., pickle_protocol=4): FRAME, MEMOIZE, STACK_GLOBAL
  deflated.float32.pt  lstm_2layer_bidir.float32.pt rewritten by Python's zipfile with every
                       record deflated (as other zip tools write it; torch.load reads it)
  empty.float32.pt     an empty state_dict

Files the reader refuses with one line naming why (refused/):

  checkpoint.pt  {"model": state_dict, "epoch": 3, "optimizer": Adam's state_dict}
  int64.pt       nn.BatchNorm1d's state_dict (num_batches_tracked is int64)
  legacy.pt      torch.save(..., _use_new_zipfile_serialization=False), the pre-1.6 format
  whole_model.pt torch.save(model): a pickled nn.LSTM, not a state_dict
  torchscript.pt torch.jit.save(torch.jit.script(model))

Hostile files (hostile/), in torch's zip layout (data.pkl, data/<key>, version); the pickles
that would run a command run `touch /tmp/cellc-pwned`, so a test can prove nothing ran:

  os_system_reduce.pt  an object whose __reduce__ returns (os.system, (command,)) (pickled by
                       Python: the global is posix.system)
  os_system.pt         the same with the global written as os.system
  builtins_eval.pt     (eval, ("__import__('os').system(...)",))
  unknown_global.pt    a global of a module that does not exist (mypackage.layers.Custom)
  storage_global.pt    a persistent id whose storage class is posix.system
  storage_string.pt    _rebuild_tensor_v2 given a string ("/etc/passwd") for its storage
  storage_overrun.pt   _rebuild_tensor_v2 reading 1000000 items of a 4-item storage
  storage_missing.pt   a tensor whose storage record (data/7) is not in the archive
  deep_marks.pt        10000 MARKs in a row
  deep_tuples.pt       4-tuples nested 500 deep (each opened by a MARK), pickled by Python
  truncated.pt         the first half of lstm_2layer_bidir.float32.pt
  no_data_pkl.pt       a zip of data/0 and version, without data.pkl

Run from the repository root with the system Python (PyTorch 1.13 and numpy):

    /usr/bin/python3 tools/gen_pt_fixtures.py

Every tensor is seeded and every zip record written here is dated 1980-01-01, so a rerun on the
same PyTorch writes the same bytes, except refused/legacy.pt and refused/torchscript.pt (torch
names their storages after memory addresses). Tests read the committed files only; they never
need Python.
"""

import copy
import io
import json
import os
import pickle
import struct
import zipfile

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures-pt")
MARKER = "/tmp/cellc-pwned"
COMMAND = f"touch {MARKER}"
DTYPES = {
    "float32": torch.float32,
    "float64": torch.float64,
    "float16": torch.float16,
    "bfloat16": torch.bfloat16,
}


def write_expected(path, tensors):
    """The tensors as a .safetensors file in their own order: F64 for float64, else F32 (float16
    and bfloat16 widen to float32 exactly). Written by hand: a u64 header length, the header, data."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().to(torch.float64 if t.dtype == torch.float64 else torch.float32)
        data = t.contiguous().numpy().astype("<f8" if t.dtype == torch.float64 else "<f4")
        dtype = "F64" if t.dtype == torch.float64 else "F32"
        header[name] = {"dtype": dtype, "shape": list(t.shape),
                        "data_offsets": [offset, offset + data.nbytes]}
        blobs.append(data.tobytes())
        offset += data.nbytes
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def save_real(name, state_dict, **kwargs):
    """X.pt by torch.save, and X.safetensors from what torch.load reads back."""
    path = os.path.join(OUT, f"{name}.pt")
    torch.save(state_dict, path, **kwargs)
    write_expected(os.path.join(OUT, f"{name}.safetensors"), torch.load(path))


def modules():
    torch.manual_seed(12)
    return {
        "lstm_2layer_bidir": torch.nn.LSTM(3, 4, num_layers=2, bidirectional=True),
        "lstmp": torch.nn.LSTM(3, 5, proj_size=2),
        "gru": torch.nn.GRU(3, 4),
        "rnn": torch.nn.RNN(3, 4),
    }


def views():
    torch.manual_seed(13)
    m = torch.randn(3, 4)
    return {
        "matrix": m,
        "transposed": m.t(),
        "row": m[1],
        "column": m[:, 2],
        "every_other": m[:, ::2],
        "offset_rows": m[1:],
        "broadcast": torch.randn(4).expand(3, 4),
        "scalar": torch.tensor(3.5),
        "empty": torch.zeros(0, 3),
    }


def flat_lstm():
    """nn.LSTM(3, 4)'s tensors cut from one flat buffer, at offsets, as cuDNN lays them out."""
    torch.manual_seed(14)
    shapes = {"weight_ih_l0": (16, 3), "weight_hh_l0": (16, 4), "bias_ih_l0": (16,),
              "bias_hh_l0": (16,)}
    flat = torch.randn(sum(torch.Size(s).numel() for s in shapes.values()) + 5)
    out, at = {}, 5
    for name, shape in shapes.items():
        n = torch.Size(shape).numel()
        out[name] = flat[at:at + n].view(shape)
        at += n
    return out


def write_real():
    for name, module in modules().items():
        for dtype_name, dtype in DTYPES.items():
            # Module.to converts in place: each dtype starts from the float32 module.
            save_real(f"{name}.{dtype_name}", copy.deepcopy(module).to(dtype).state_dict())
    save_real("views.float32", views())
    save_real("flat_lstm.float32", flat_lstm())
    lstm = modules()["lstm_2layer_bidir"]
    save_real("parameters.float32", dict(lstm.named_parameters()))
    save_real("protocol4.float32", lstm.state_dict(), pickle_protocol=4)
    save_real("empty.float32", {})
    deflated = os.path.join(OUT, "deflated.float32.pt")
    with zipfile.ZipFile(os.path.join(OUT, "lstm_2layer_bidir.float32.pt")) as source:
        with zipfile.ZipFile(deflated, "w") as z:
            for info in source.infolist():
                write_record(z, info.filename, source.read(info.filename), zipfile.ZIP_DEFLATED)
    write_expected(os.path.join(OUT, "deflated.float32.safetensors"), torch.load(deflated))


def write_refused():
    folder = os.path.join(OUT, "refused")
    os.makedirs(folder, exist_ok=True)
    torch.manual_seed(15)
    lstm = torch.nn.LSTM(3, 2)
    optimizer = torch.optim.Adam(lstm.parameters())
    lstm(torch.randn(2, 1, 3))[0].sum().backward()
    optimizer.step()
    checkpoint = {"model": lstm.state_dict(), "epoch": 3, "optimizer": optimizer.state_dict()}
    torch.save(checkpoint, os.path.join(folder, "checkpoint.pt"))
    torch.save(torch.nn.BatchNorm1d(3).state_dict(), os.path.join(folder, "int64.pt"))
    torch.save(lstm.state_dict(), os.path.join(folder, "legacy.pt"),
               _use_new_zipfile_serialization=False)
    torch.save(lstm, os.path.join(folder, "whole_model.pt"))
    torch.jit.save(torch.jit.script(lstm), os.path.join(folder, "torchscript.pt"))


# Hostile files: pickles written by Python's pickle module, or by hand where Python would not
# write them, inside a zip laid out as torch.save lays it out.

def write_record(z, name, data, compression=zipfile.ZIP_STORED):
    """One record with a fixed date, so that reruns write the same bytes."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = compression
    z.writestr(info, data)


def torch_zip(path, pickle_bytes, storages=None, folder="archive"):
    with zipfile.ZipFile(path, "w") as z:
        write_record(z, f"{folder}/data.pkl", pickle_bytes)
        for key, data in (storages or {}).items():
            write_record(z, f"{folder}/data/{key}", data)
        write_record(z, f"{folder}/version", "3\n")


class Reduce:
    """An object pickled as `callable(*args)`: what a hostile pickle is made of."""

    def __init__(self, callable, args):
        self.callable, self.args = callable, args

    def __reduce__(self):
        return (self.callable, self.args)


class StoragePid:
    """Pickled as a persistent id, as torch.save pickles a storage."""

    def __init__(self, pid):
        self.pid = pid


class TorchLikePickler(pickle.Pickler):
    def persistent_id(self, obj):
        return obj.pid if isinstance(obj, StoragePid) else None


def dumps(value):
    buffer = io.BytesIO()
    TorchLikePickler(buffer, protocol=2).dump(value)
    return buffer.getvalue()


def rebuild(storage, size, stride):
    """_rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict()) as a pickled call."""
    from collections import OrderedDict
    return Reduce(torch._utils._rebuild_tensor_v2, (storage, 0, size, stride, False, OrderedDict()))


def float_storage(key, numel):
    return StoragePid(("storage", torch.FloatStorage, key, "cpu", numel))


def hand_pickle(*ops):
    """A protocol-2 pickle from raw opcodes, ending in STOP."""
    return b"\x80\x02" + b"".join(ops) + b"."


def write_hostile():
    import os as os_module
    folder = os.path.join(OUT, "hostile")
    os.makedirs(folder, exist_ok=True)
    path = lambda name: os.path.join(folder, name)  # noqa: E731
    four_floats = struct.pack("<4f", 1, 2, 3, 4)

    torch_zip(path("os_system_reduce.pt"), dumps({"weight": Reduce(os_module.system, (COMMAND,))}))
    # GLOBAL 'os system', then the command, TUPLE1, REDUCE: os.system(command).
    command = COMMAND.encode()
    os_system = hand_pickle(b"cos\nsystem\n", b"X" + struct.pack("<I", len(command)) + command,
                            b"\x85R")
    torch_zip(path("os_system.pt"), os_system)
    code = f"__import__('os').system('{COMMAND}')"
    torch_zip(path("builtins_eval.pt"), dumps({"weight": Reduce(eval, (code,))}))
    unknown = hand_pickle(b"}q\x00X\x06\x00\x00\x00weightq\x01", b"cmypackage.layers\nCustom\n",
                          b")R", b"s")
    torch_zip(path("unknown_global.pt"), unknown)

    pid_system = StoragePid(("storage", os_module.system, "0", "cpu", 4))
    torch_zip(path("storage_global.pt"), dumps({"weight": rebuild(pid_system, (4,), (1,))}),
              {"0": four_floats})
    torch_zip(path("storage_string.pt"), dumps({"weight": rebuild("/etc/passwd", (4,), (1,))}),
              {"0": four_floats})
    overrun = rebuild(float_storage("0", 4), (1000000,), (1,))
    torch_zip(path("storage_overrun.pt"), dumps({"weight": overrun}), {"0": four_floats})
    missing = rebuild(float_storage("7", 4), (4,), (1,))
    torch_zip(path("storage_missing.pt"), dumps({"weight": missing}), {"0": four_floats})

    torch_zip(path("deep_marks.pt"), hand_pickle(b"(" * 10000, b"N"))
    nested = None
    for _ in range(500):
        nested = (nested, 1, 2, 3)
    torch_zip(path("deep_tuples.pt"), dumps({"weight": nested}))

    with open(os.path.join(OUT, "lstm_2layer_bidir.float32.pt"), "rb") as f:
        whole = f.read()
    with open(path("truncated.pt"), "wb") as f:
        f.write(whole[: len(whole) // 2])
    with zipfile.ZipFile(path("no_data_pkl.pt"), "w") as z:
        write_record(z, "archive/data/0", four_floats)
        write_record(z, "archive/version", "3\n")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    write_real()
    write_refused()
    write_hostile()
