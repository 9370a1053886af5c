// Names from model files (nodes, tensors, producers) may hold anything: quotes, newlines, escape
// sequences. Only plain ones are ever written into a generated .cell comment, quoted.

const PLAIN = /^[A-Za-z0-9_.:/+-]{1,64}$/;

/** `'name'` when the name is plain (letters, digits, _ . : / + -; at most 64), else null. */
export function safeName(name: string | undefined): string | null {
  return name !== undefined && PLAIN.test(name) ? `'${name}'` : null;
}
