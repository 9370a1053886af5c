// Names from model files (nodes, tensors, producers) may hold anything: quotes, newlines, escape
// sequences. Only plain ones are ever written into a generated .cell comment, quoted.

const PLAIN = /^[A-Za-z0-9_.:/+-]{1,64}$/;

/** Whether `name` is plain: letters, digits, _ . : / + - only, at most 64 of them. */
export const isPlainName = (name: string | undefined): name is string =>
  name !== undefined && PLAIN.test(name);

/** `'name'` when the name is plain, else null. */
export function safeName(name: string | undefined): string | null {
  return isPlainName(name) ? `'${name}'` : null;
}
