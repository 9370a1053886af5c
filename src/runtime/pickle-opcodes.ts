// The pickle opcodes the .pt unpickler runs, by byte: those torch.save writes for a state_dict in
// protocols 2 to 5 (Python's Lib/pickletools.py documents each). Any other byte is refused.

export const OP = {
  MARK: 0x28, // (
  STOP: 0x2e, // .
  POP: 0x30, // 0
  POP_MARK: 0x31, // 1
  DUP: 0x32, // 2
  BINFLOAT: 0x47, // G
  BININT: 0x4a, // J
  BININT1: 0x4b, // K
  BININT2: 0x4d, // M
  NONE: 0x4e, // N
  BINPERSID: 0x51, // Q
  REDUCE: 0x52, // R
  BINUNICODE: 0x58, // X
  EMPTY_LIST: 0x5d, // ]
  APPEND: 0x61, // a
  BUILD: 0x62, // b
  GLOBAL: 0x63, // c
  DICT: 0x64, // d
  APPENDS: 0x65, // e
  BINGET: 0x68, // h
  LONG_BINGET: 0x6a, // j
  LIST: 0x6c, // l
  BINPUT: 0x71, // q
  LONG_BINPUT: 0x72, // r
  SETITEM: 0x73, // s
  TUPLE: 0x74, // t
  SETITEMS: 0x75, // u
  EMPTY_DICT: 0x7d, // }
  EMPTY_TUPLE: 0x29, // )
  PROTO: 0x80,
  TUPLE1: 0x85,
  TUPLE2: 0x86,
  TUPLE3: 0x87,
  NEWTRUE: 0x88,
  NEWFALSE: 0x89,
  LONG1: 0x8a,
  SHORT_BINUNICODE: 0x8c,
  BINUNICODE8: 0x8d,
  STACK_GLOBAL: 0x93,
  MEMOIZE: 0x94,
  FRAME: 0x95,
} as const;

// Opcodes refused by the VM, named so that a message says what the pickle asked for (objects
// built by class, bytes, sets, extension registries, the text opcodes of protocols 0 and 1).
const REFUSED = {
  INST: 0x69, // i
  OBJ: 0x6f, // o
  NEWOBJ: 0x81,
  NEWOBJ_EX: 0x92,
  EXT1: 0x82,
  EXT2: 0x83,
  EXT4: 0x84,
  LONG4: 0x8b,
  BINBYTES: 0x42, // B
  SHORT_BINBYTES: 0x43, // C
  BINBYTES8: 0x8e,
  BYTEARRAY8: 0x96,
  NEXT_BUFFER: 0x97,
  READONLY_BUFFER: 0x98,
  BINSTRING: 0x54, // T
  SHORT_BINSTRING: 0x55, // U
  EMPTY_SET: 0x8f,
  ADDITEMS: 0x90,
  FROZENSET: 0x91,
  PERSID: 0x50, // P
  INT: 0x49, // I
  LONG: 0x4c, // L
  FLOAT: 0x46, // F
  STRING: 0x53, // S
  UNICODE: 0x56, // V
  GET: 0x67, // g
  PUT: 0x70, // p
} as const;

const NAMES = new Map<number, string>(
  [...Object.entries(OP), ...Object.entries(REFUSED)].map(([name, code]) => [code, name]),
);

/** An opcode for messages: its byte and, if the VM knows it, its name ("0x81"). */
export function opcodeName(op: number): string {
  const hex = `0x${op.toString(16).padStart(2, "0")}`;
  const name = NAMES.get(op);
  return name === undefined ? hex : `${hex} (${name})`;
}
