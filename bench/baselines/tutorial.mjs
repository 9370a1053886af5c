// An LSTM written the way a blog post teaches it: nested arrays, a dot-product helper, sigmoid and
// tanh as functions, new arrays every step. Deliberately neither sabotaged nor tuned; it is the
// "what you would write by hand" baseline. Gate order i, f, g, o, as PyTorch's nn.LSTM.

function sigmoid(x) {
  return 1 / (1 + Math.exp(-x));
}

function dot(a, b) {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

function matVec(matrix, vector) {
  return matrix.map((row) => dot(row, vector));
}

function add(a, b) {
  return a.map((x, i) => x + b[i]);
}

/** One LSTM step: returns the new hidden state h and cell state c. */
export function lstmCell(params, x, h, c) {
  const H = h.length;
  const gates = add(add(matVec(params.Wih, x), params.bih), add(matVec(params.Whh, h), params.bhh));
  const i = gates.slice(0, H).map(sigmoid);
  const f = gates.slice(H, 2 * H).map(sigmoid);
  const g = gates.slice(2 * H, 3 * H).map(Math.tanh);
  const o = gates.slice(3 * H, 4 * H).map(sigmoid);
  const cNext = c.map((cj, j) => f[j] * cj + i[j] * g[j]);
  const hNext = cNext.map((cj, j) => o[j] * Math.tanh(cj));
  return { h: hNext, c: cNext };
}

/** Runs a whole sequence (an array of input vectors) from zero state; returns every h. */
export function lstmForward(params, xs) {
  const H = params.bih.length / 4;
  let h = new Array(H).fill(0);
  let c = new Array(H).fill(0);
  const outputs = [];
  for (const x of xs) {
    ({ h, c } = lstmCell(params, x, h, c));
    outputs.push(h);
  }
  return { outputs, h, c };
}

/** Turns PyTorch's flat row-major weights into the nested arrays the functions above use. */
export function paramsFromPyTorch(w, I, H) {
  const rows = (data, cols) =>
    Array.from({ length: data.length / cols }, (_, r) =>
      Array.from(data.subarray(r * cols, (r + 1) * cols)),
    );
  return {
    Wih: rows(w.weight_ih, I),
    Whh: rows(w.weight_hh, H),
    bih: Array.from(w.bias_ih),
    bhh: Array.from(w.bias_hh),
  };
}
