// === helper 'gemm'
/**
 * out[r, i] = bias[r, i] + sum over j of w[i, j] * x[r, j], for rows r < rows and outputs i < m:
 * w is m x k, row-major as PyTorch stores it; row r of x, out and bias starts at
 * off + r * stride (a bias stride of 0 adds the same vector to every row).
 */
function gemm(rows, m, k, w, x, xOff, xStride, out, outOff, outStride, bias, biasOff, biasStride) {
  let r = 0;
  for (; r + 1 < rows; r += 2) {
    const x0 = xOff + r * xStride;
    const x1 = x0 + xStride;
    const o0 = outOff + r * outStride;
    const o1 = o0 + outStride;
    const b0 = biasOff + r * biasStride;
    const b1 = b0 + biasStride;
    let i = 0;
    for (; i + 3 < m; i += 4) {
      const w0 = i * k;
      const w1 = w0 + k;
      const w2 = w1 + k;
      const w3 = w2 + k;
      let a00 = bias[b0 + i],
        a01 = bias[b0 + i + 1],
        a02 = bias[b0 + i + 2],
        a03 = bias[b0 + i + 3];
      let a10 = bias[b1 + i],
        a11 = bias[b1 + i + 1],
        a12 = bias[b1 + i + 2],
        a13 = bias[b1 + i + 3];
      for (let j = 0; j < k; j++) {
        const u = x[x0 + j];
        const v = x[x1 + j];
        const c0 = w[w0 + j],
          c1 = w[w1 + j],
          c2 = w[w2 + j],
          c3 = w[w3 + j];
        a00 += c0 * u;
        a01 += c1 * u;
        a02 += c2 * u;
        a03 += c3 * u;
        a10 += c0 * v;
        a11 += c1 * v;
        a12 += c2 * v;
        a13 += c3 * v;
      }
      out[o0 + i] = a00;
      out[o0 + i + 1] = a01;
      out[o0 + i + 2] = a02;
      out[o0 + i + 3] = a03;
      out[o1 + i] = a10;
      out[o1 + i + 1] = a11;
      out[o1 + i + 2] = a12;
      out[o1 + i + 3] = a13;
    }
    for (; i < m; i++) {
      const wi = i * k;
      let a0 = bias[b0 + i],
        a1 = bias[b1 + i];
      for (let j = 0; j < k; j++) {
        a0 += w[wi + j] * x[x0 + j];
        a1 += w[wi + j] * x[x1 + j];
      }
      out[o0 + i] = a0;
      out[o1 + i] = a1;
    }
  }
  for (; r < rows; r++) {
    const x0 = xOff + r * xStride;
    const o0 = outOff + r * outStride;
    const b0 = biasOff + r * biasStride;
    let i = 0;
    for (; i + 7 < m; i += 8) {
      const w0 = i * k;
      const w1 = w0 + k,
        w2 = w1 + k,
        w3 = w2 + k,
        w4 = w3 + k,
        w5 = w4 + k,
        w6 = w5 + k,
        w7 = w6 + k;
      let a0 = bias[b0 + i],
        a1 = bias[b0 + i + 1],
        a2 = bias[b0 + i + 2],
        a3 = bias[b0 + i + 3];
      let a4 = bias[b0 + i + 4],
        a5 = bias[b0 + i + 5],
        a6 = bias[b0 + i + 6],
        a7 = bias[b0 + i + 7];
      for (let j = 0; j < k; j++) {
        const u = x[x0 + j];
        a0 += w[w0 + j] * u;
        a1 += w[w1 + j] * u;
        a2 += w[w2 + j] * u;
        a3 += w[w3 + j] * u;
        a4 += w[w4 + j] * u;
        a5 += w[w5 + j] * u;
        a6 += w[w6 + j] * u;
        a7 += w[w7 + j] * u;
      }
      out[o0 + i] = a0;
      out[o0 + i + 1] = a1;
      out[o0 + i + 2] = a2;
      out[o0 + i + 3] = a3;
      out[o0 + i + 4] = a4;
      out[o0 + i + 5] = a5;
      out[o0 + i + 6] = a6;
      out[o0 + i + 7] = a7;
    }
    for (; i < m; i++) {
      const wi = i * k;
      let a = bias[b0 + i];
      for (let j = 0; j < k; j++) a += w[wi + j] * x[x0 + j];
      out[o0 + i] = a;
    }
  }
}

// === helper 'sigmoid'
/** The logistic function, exact and overflow-safe: exp of a positive number is never taken. */
function sigmoid(x) {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

// === helper 'erf'
/**
 * The error function, 2/sqrt(pi) times the integral of e^(-t^2) from 0 to x, within about one
 * float64 unit (2.0 units of 2^-53 relative at worst on tools/erf_coefficients.py's sample, which
 * fitted the polynomials): JavaScript has no Math.erf, and the interpreter and the JavaScript
 * kernel must compute the same one. Below 1, x * S(x^2); from 1 to 6, 1 - e^(-x^2) erfcx(|x|),
 * where erfcx(x) = e^(x^2) erfc(x) is nearly a polynomial in y = (|x| - 3.75) / (|x| + 3.75),
 * so no 1 - erfc(x) loses digits where erf is small; past 6, +-1.
 */
function erf(x) {
  const a = Math.abs(x);
  if (a < 1) {
    const t = x * x;
    let s = -7.795898827002142e-10;
    s = s * t + 1.3720064546777686e-8;
    s = s * t - 1.6208483801871705e-7;
    s = s * t + 1.6447424703317362e-6;
    s = s * t - 1.492473690741966e-5;
    s = s * t + 0.00012055294904839707;
    s = s * t - 0.0008548325975389692;
    s = s * t + 0.0052239776071164225;
    s = s * t - 0.02686617064323777;
    s = s * t + 0.11283791670945006;
    s = s * t - 0.37612638903183543;
    s = s * t + 1.1283791670955126;
    return x * s;
  }
  if (a < 6) {
    const y = (a - 3.75) / (a + 3.75);
    let g = 7.131731255239265e-7;
    g = g * y + 6.208144801289063e-7;
    g = g * y - 6.300262984335928e-6;
    g = g * y + 3.560667697695621e-6;
    g = g * y + 4.79107314889752e-5;
    g = g * y - 0.00015245718332927927;
    g = g * y - 2.5535448945846046e-5;
    g = g * y + 0.0018029620508574445;
    g = g * y - 0.008220621180507561;
    g = g * y + 0.024143223983468007;
    g = g * y - 0.05480232669388165;
    g = g * y + 0.10260431203203912;
    g = g * y - 0.16357189552393808;
    g = g * y + 0.2260080669166224;
    g = g * y - 0.27342193149542643;
    g = g * y + 0.14558972127503853;
    const r = 1 - Math.exp(-a * a) * g;
    return x < 0 ? -r : r;
  }
  // erfc(6) = 2.2e-17 is below half a float64 unit of 1; NaN stays NaN.
  return a >= 6 ? (x < 0 ? -1 : 1) : x;
}

// === embedded runtime (every module)
// Text from files and arguments (names, paths, dtype strings) made safe for a terminal: control
// characters, which could move the cursor or recolour the screen, are shown as escapes instead.
/** C0 and C1 controls, DEL, and the line and paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
function printable(text) {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16)}`;
  });
}
class DataError extends Error {
  source;
  tensorName;
  detail;
  name = "DataError";
  constructor(source, tensorName, detail) {
    const where = tensorName === null ? "" : `tensor '${tensorName}': `;
    super(printable(`${source}: ${where}${detail}`));
    this.source = source;
    this.tensorName = tensorName;
    this.detail = detail;
  }
}
/** `4*H + I - 1`: the canonical text, also used as a hash key. */
function formatSize(a) {
  const parts = [];
  for (const t of a.terms) {
    const magnitude = Math.abs(t.coeff);
    const text = magnitude === 1 ? t.name : `${magnitude}*${t.name}`;
    if (parts.length === 0) parts.push(t.coeff < 0 ? `-${text}` : text);
    else parts.push(t.coeff < 0 ? `- ${text}` : `+ ${text}`);
  }
  if (a.constant !== 0 || parts.length === 0) {
    if (parts.length === 0) parts.push(String(a.constant));
    else parts.push(a.constant < 0 ? `- ${-a.constant}` : `+ ${a.constant}`);
  }
  return parts.join(" ");
}
function formatSymbolicShape(shape) {
  return `[${shape.map(formatSize).join(", ")}]`;
}
/** The value of a size once its variables are known, or null if one is not. */
function evalSize(a, values) {
  let n = a.constant;
  for (const t of a.terms) {
    const v = values.get(t.name);
    if (v === undefined) return null;
    n += t.coeff * v;
  }
  return n;
}
/**
 * Learns size variables from `size == actual` when exactly one variable in it is unknown.
 * Returns the variable and its value; null when there is nothing to learn (no unknown, or more
 * than one); "unsolvable" when no whole non-negative value fits.
 */
function solveSize(a, actual, known) {
  const unknown = a.terms.filter((t) => !known.has(t.name));
  if (unknown.length !== 1) return null;
  const term = unknown[0];
  const rest = evalSize({ constant: a.constant, terms: a.terms.filter((t) => t !== term) }, known);
  if (rest === null) return null;
  const value = (actual - rest) / term.coeff;
  if (!Number.isInteger(value) || value < 0) return "unsolvable";
  // `| 0` turns -0 into 0 and, above all, makes the size a small integer for V8: a size computed
  // by division is a boxed double, and kernels indexing with it deoptimize and run ~2x slower.
  return { name: term.name, value: value <= 0x7fffffff ? value | 0 : value };
}
// The sizes cellc accepts at run time, each a documented constant (README "Limits and errors"):
// beyond them, input is refused with a DataError naming the tensor, before anything is allocated.
// They sit far above any real model and far below what would hang or exhaust the machine.
/** Largest length of one dimension of a tensor (and of the time and batch axes). */
export const MAX_DIMENSION = 2 ** 31 - 1;
/** Most elements in one tensor or one allocation: 2^30 floats, 4 GiB as float32. */
const MAX_ELEMENTS = 2 ** 30;
/** Most layers a stack may have (`weight_ih_l{k}` with k below it). */
const MAX_LAYERS = 1024;
/** Most threads `create(weights, { threads })` accepts. */
const MAX_THREADS = 64;
/** The number of elements of `shape`, or null if a dimension or the product is over the limits. */
function checkedSize(shape) {
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0 || d > MAX_DIMENSION) return null;
    n *= d;
  }
  return n <= MAX_ELEMENTS ? n : null;
}
function formatShape(shape) {
  return `[${shape.join(", ")}]`;
}
/**
 * Checks that `t`, from a caller, is a tensor: float data that fills a shape of whole, non-negative
 * dimensions within the limits (src/shared/limits.ts). Errors name the tensor and its source.
 */
function checkTensor(t, name, source) {
  const candidate = typeof t === "object" && t !== null ? t : null;
  const data = candidate?.data;
  const shape = candidate?.shape;
  if (!(data instanceof Float32Array || data instanceof Float64Array) || !Array.isArray(shape)) {
    throw new DataError(
      source,
      name,
      "expected { data: Float32Array or Float64Array, shape: number[] }",
    );
  }
  const dims = shape;
  const shown = `[${dims.map((d) => (typeof d === "number" ? String(d) : typeof d)).join(", ")}]`;
  if (!dims.every((d) => typeof d === "number" && Number.isInteger(d) && d >= 0)) {
    throw new DataError(source, name, `shape ${shown} is not a list of whole, non-negative sizes`);
  }
  const size = checkedSize(dims);
  if (size === null) {
    const detail = `shape ${shown} is over the limits (${MAX_DIMENSION} per dimension, ${MAX_ELEMENTS} elements)`;
    throw new DataError(source, name, detail);
  }
  if (data.length !== size) {
    throw new DataError(source, name, `shape ${shown} needs ${size} values, found ${data.length}`);
  }
  return { data, shape: dims };
}
/**
 * Checks `t` (see checkTensor) and gives it float32 data (copied only when it is not float32
 * already): what compiled kernels compute with.
 */
function asFloat32Tensor(t, name, source) {
  const { data, shape } = checkTensor(t, name, source);
  return { data: data instanceof Float32Array ? data : Float32Array.from(data), shape: [...shape] };
}
/** Learns what it can from `shape == actual`; returns whether it learned anything. */
function learn(shape, actual, sizes) {
  if (shape.length !== actual.length) return false;
  let learned = false;
  shape.forEach((dim, i) => {
    const solved = solveSize(dim, actual[i], sizes);
    if (solved && solved !== "unsolvable") {
      sizes.set(solved.name, solved.value);
      learned = true;
    }
  });
  return learned;
}
function concreteShape(shape, sizes) {
  const dims = shape.map((d) => evalSize(d, sizes));
  return dims.every((d) => d !== null) ? dims : null;
}
function describeExpected(shape, sizes) {
  const concrete = concreteShape(shape, sizes);
  const symbolic = formatSymbolicShape(shape);
  if (!concrete) return symbolic;
  const text = formatShape(concrete);
  return text === symbolic ? text : `${symbolic} = ${text}`;
}
/** What the weights alone say about the sizes (possibly not everything). */
function sizesFromWeights(meta, weights) {
  const sizes = new Map();
  const present = meta.params.filter((p) => weights.has(p.name));
  let progress = true;
  while (progress) {
    progress = false;
    for (const p of present)
      progress = learn(p.shape, weights.get(p.name).shape, sizes) || progress;
  }
  return sizes;
}
function bindSizes(meta, weights, inputSize, naming) {
  // Weights first (they define the cell), the input last: a mismatch then blames the input.
  const sizes = sizesFromWeights(meta, weights);
  learn(meta.input.shape, [inputSize], sizes);
  // A missing weight is the likeliest reason for an unknown size, so it is reported first.
  for (const p of meta.params) {
    if (!weights.has(p.name) && p.fill === null) {
      const expected = describeExpected(p.shape, sizes);
      throw new DataError(
        naming.source,
        naming.tensorName(p.name),
        `missing (expected shape ${expected})`,
      );
    }
  }
  // A declared size that no shape mentions is never needed.
  const mentioned = [meta.input, meta.output, ...meta.states, ...meta.params].flatMap((v) =>
    v.shape.flatMap((d) => d.terms.map((t) => t.name)),
  );
  const unknown = meta.sizes.filter((s) => !sizes.has(s) && mentioned.includes(s));
  if (unknown.length > 0) {
    const names = unknown.map((s) => `'${s}'`).join(", ");
    const detail = `cannot tell size${unknown.length > 1 ? "s" : ""} ${names} of cell '${meta.name}' from the weights`;
    throw new DataError(naming.source, null, detail);
  }
  for (const p of meta.params) checkShape(p, weights.get(p.name), sizes, naming);
  for (const [name, value] of sizes) {
    if (value <= 0) throw new DataError(naming.source, null, `size '${name}' would be ${value}`);
  }
  return sizes;
}
/** Checks a present weight against its shape; absent ones were checked before, being optional. */
function checkShape(p, t, sizes, naming) {
  if (!t) return;
  const expected = describeExpected(p.shape, sizes);
  const name = naming.tensorName(p.name);
  const want = concreteShape(p.shape, sizes);
  const matches =
    want !== null && want.length === t.shape.length && want.every((d, i) => d === t.shape[i]);
  if (!matches) {
    throw new DataError(
      naming.source,
      name,
      `expected shape ${expected}, found ${formatShape(t.shape)}`,
    );
  }
}
/** The name a parameter of layer k, direction d is stored under. */
function tensorName(stack, param, k, d) {
  const reverse = d === 1 || stack.backward ? "_reverse" : "";
  return stack.suffixed ? `${param}_l${k}${reverse}` : param;
}
const SUFFIX = /^(.*)_l(\d+)(_reverse)?$/;
function splitLayers(meta, weights, source) {
  const params = new Set(meta.params.map((p) => p.name));
  const list = (names) => [...names].map((n) => `'${n}'`).join(", ");
  const cells = [];
  let plain = 0;
  let suffixed = 0;
  for (const [name, t] of weights) {
    const m = SUFFIX.exec(name);
    const base = m && params.has(m[1]) ? m[1] : params.has(name) ? name : null;
    if (base === null) {
      const detail = `not a parameter of cell '${meta.name}' (expected ${list(params)}, optionally with _l{k} and _reverse)`;
      throw new DataError(source, name, detail);
    }
    const layer = base === name ? 0 : layerIndex(m[2], name, source);
    const direction = base !== name && m[3] ? 1 : 0;
    if (base === name) plain++;
    else suffixed++;
    const row = (cells[layer] ??= []);
    (row[direction] ??= new Map()).set(base, checkTensor(t, name, source));
  }
  if (plain > 0 && suffixed > 0) {
    throw new DataError(source, null, "mixes names with and without a layer suffix (_l0)");
  }
  if (cells.length === 0) cells.push([new Map()]);
  // No forward weight anywhere, but backward ones: each layer's one direction is its backward one.
  const backward = cells.every((row) => !row[0]);
  const layers = backward ? cells.map((row) => (row ? [row[1]] : row)) : cells;
  return { layers: checkComplete(layers, source), suffixed: suffixed > 0, backward };
}
/** k of `_l{k}`: plain digits (so `_l07` cannot stand for `_l7` too), below MAX_LAYERS. */
function layerIndex(digits, name, source) {
  const k = Number(digits);
  if (String(k) !== digits || k >= MAX_LAYERS) {
    const detail = `layer suffix _l${digits} is not a layer number from 0 to ${MAX_LAYERS - 1}`;
    throw new DataError(source, name, detail);
  }
  return k;
}
/** Every layer present from 0, and the same directions in every layer. */
function checkComplete(cells, source) {
  const directions = cells[0]?.[1] ? 2 : 1;
  for (let k = 0; k < cells.length; k++) {
    const row = cells[k];
    if (!row)
      throw new DataError(
        source,
        null,
        `layer ${k} is missing (found weights for layer ${cells.length - 1})`,
      );
    for (let d = 0; d < directions; d++) row[d] ??= new Map();
    if (row.length > directions) {
      throw new DataError(source, null, `layer ${k} has _reverse weights but layer 0 does not`);
    }
  }
  return cells;
}
/** (time, batch, features) of an input, read in its layout; it must be 3-dimensional and full. */
function sequenceDims(input, batchFirst, source) {
  const { shape } = checkTensor(input, null, source);
  if (shape.length !== 3) {
    const layout = batchFirst ? "(batch, time, features)" : "(time, batch, features)";
    const detail = `expected a 3-dimensional input ${layout}, found shape ${formatShape(shape)}`;
    throw new DataError(source, null, detail);
  }
  const [a, b, I] = shape;
  return batchFirst ? { T: b, B: a, I } : { T: a, B: b, I };
}
/** Layer 0 must get the features per step its weights expect, layer k>0 what layer k-1 makes. */
function checkInputSize(meta, sizes, inSize, layer, source, tensorName) {
  const want = concreteShape(meta.input.shape, sizes)?.[0];
  if (want === inSize) return;
  const weight = tensorName(meta.params[0]?.name ?? "");
  const detail =
    layer === 0
      ? `has ${inSize} features per step, but the weights (${weight}) expect ${want}`
      : `layer ${layer} expects ${want} input features, but layer ${layer - 1} produces ${inSize}`;
  throw new DataError(source, null, detail);
}
/** Stacked final states are (L*D, B, size): every layer must agree on each state's size. */
function checkSameSizes(meta, sizes, first, layer, source) {
  meta.states.forEach((s, i) => {
    if (first && first[i] !== sizes[i]) {
      const detail = `state '${s.name}' has size ${sizes[i]} in layer ${layer} but ${first[i]} in layer 0; a stack needs one size`;
      throw new DataError(source, null, detail);
    }
  });
}
/** An initial state must be (layers * directions, batch, size). */
function checkInitialState(t, name, count, B, size, options) {
  const want = [count, B, size];
  if (t.shape.length === 3 && t.shape.every((d, i) => d === want[i])) return;
  const source = stateSource(name, options);
  const detail = `expected shape (layers*directions, batch, size) = ${formatShape(want)}, found ${formatShape(t.shape)}`;
  throw new DataError(source, name, detail);
}
/**
 * The caller's initial states as a map of checked tensors: own properties only (a state may be
 * named `constructor` or `__proto__`), each naming a state of the cell.
 */
function initialStates(meta, initial, options) {
  const states = new Map();
  if (initial === undefined || initial === null) return states;
  if (typeof initial !== "object") {
    throw new DataError("initial states", null, "expected an object of tensors by state name");
  }
  const known = meta.states.map((s) => s.name);
  for (const [name, t] of Object.entries(initial)) {
    if (!known.includes(name)) {
      const detail = `cell '${meta.name}' has no state '${name}' (its states: ${known.join(", ") || "none"})`;
      throw new DataError("initial states", null, detail);
    }
    states.set(name, checkTensor(t, name, stateSource(name, options)));
  }
  return states;
}
function stateSource(name, options) {
  const sources = options.sources?.states;
  return sources && Object.hasOwn(sources, name) ? sources[name] : "initial states";
}
/** Refuses, before allocating, a buffer of `floats` elements over the limit. */
function checkFloats(floats, source, what) {
  if (floats <= MAX_ELEMENTS) return;
  const detail = `${what} would need ${floats} floats, over the limit of ${MAX_ELEMENTS}`;
  throw new DataError(source, null, detail);
}
/** Binds the sizes of every (layer, direction) for inputs of `inputSize` and builds its kernel. */
function prepareLayers(meta, stack, inputSize, makeKernel, weightSource, inputSource) {
  const layers = [];
  let inSize = inputSize;
  stack.layers.forEach((directions, k) => {
    const built = directions.map((w, d) => {
      const naming = {
        source: weightSource,
        tensorName: (p) => tensorName(stack, p, k, d),
      };
      const sizes = bindSizes(meta, w, inSize, naming);
      const source = k === 0 ? inputSource : weightSource;
      checkInputSize(meta, sizes, inSize, k, source, naming.tensorName);
      const outSize = sizeOf(meta.output.shape[0], sizes);
      const stateSizes = meta.states.map((s) => sizeOf(s.shape[0], sizes));
      checkSameSizes(meta, stateSizes, layers[0]?.[0]?.stateSizes, k, weightSource);
      const reverse = d === 1 || stack.backward;
      return { kernel: makeKernel(sizes, w), reverse, stateSizes, outSize };
    });
    layers.push(built);
    inSize = directions.length * built[0].outSize;
  });
  return layers;
}
function sizeOf(dim, sizes) {
  const n = evalSize(dim, sizes);
  if (n === null) throw new Error("internal: a state or output size is unknown after binding");
  return n;
}
function describeLayers(layers) {
  const last = layers[layers.length - 1];
  return {
    layers: layers.length,
    directions: last.length,
    outFeatures: last.length * last[0].outSize,
    stateSizes: layers[0][0].stateSizes,
  };
}
const OPTIONS = "forward options";
const KNOWN = ["lengths"];
/** What a value is, for a message: `Float32Array`, `string`, `null`. */
function kindOf(v) {
  if (v === null) return "null";
  if (typeof v !== "object") return typeof v;
  return Array.isArray(v) ? "Array" : Object.prototype.toString.call(v).slice(8, -1).slice(0, 40);
}
/** A length as a message shows it: numbers as they are, strings quoted, objects by their kind. */
function shown(v) {
  if (typeof v === "string") return JSON.stringify(v.slice(0, 20));
  return typeof v === "object" && v !== null ? kindOf(v) : String(v);
}
/**
 * The lengths of a forward of T steps and B samples from the caller's `options` (absent, or an
 * object with own keys among KNOWN), each an integer from 1 to T; null when none are given or
 * every sample has all T steps. A DataError names `source` (the file or argument) otherwise.
 */
function forwardLengths(options, T, B, source) {
  if (options === undefined || options === null) return null;
  if (typeof options !== "object" || Array.isArray(options)) {
    const detail = `expected an object such as { lengths }, found ${kindOf(options)}`;
    throw new DataError(OPTIONS, null, detail);
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.includes(key)) {
      const detail = `unknown option '${key.slice(0, 100)}' (known: ${KNOWN.join(", ")})`;
      throw new DataError(OPTIONS, null, detail);
    }
  }
  const given = Object.hasOwn(options, "lengths") ? options.lengths : undefined;
  return given === undefined ? null : checkLengths(given, T, B, source);
}
/** `given` as B lengths from 1 to T, copied (later changes to the caller's array do not count). */
function checkLengths(given, T, B, source) {
  if (!(given instanceof Int32Array) && !Array.isArray(given)) {
    const detail = `expected an Int32Array or an array of integers, one per sample, found ${kindOf(given)}`;
    throw new DataError(source, null, detail);
  }
  const values = given;
  if (values.length !== B) {
    const detail = `expected ${B} lengths, one per sample of the batch, found ${values.length}`;
    throw new DataError(source, null, detail);
  }
  const lengths = new Int32Array(B);
  let full = true;
  for (let b = 0; b < B; b++) {
    const v = values[b];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > T) {
      const detail = `sample ${b} has length ${shown(v)}`;
      const want = T > 0 ? `expected an integer from 1 to ${T}, the input's steps` : null;
      throw new DataError(
        source,
        null,
        want ? `${detail}: ${want}` : `${detail}, but the input has no steps`,
      );
    }
    lengths[b] = v;
    full &&= v === T;
  }
  return full ? null : lengths;
}
/** Zeros the features of a seq-first (T, B, F) sequence at each sample's steps past its length. */
function zeroPadding(ys, T, B, F, lengths) {
  for (let b = 0; b < B; b++) {
    for (let t = lengths[b]; t < T; t++) ys.fill(0, (t * B + b) * F, (t * B + b + 1) * F);
  }
}
const ALLOCATION_FAILED =
  /Array buffer allocation failed|Invalid typed array length|Invalid array buffer length|could not allocate memory|above the upper bound|Out of memory/i;
function withMemory(source, what, run) {
  try {
    return run();
  } catch (e) {
    if (!(e instanceof RangeError) || !ALLOCATION_FAILED.test(e.message)) throw e;
    throw new DataError(source, null, `out of memory ${what}: ${e.message}`);
  }
}
function createStack(meta, weights, options, arrayType, makeKernel) {
  const weightSource = options.sources?.weights ?? "weights";
  const inputSource = options.sources?.input ?? "input";
  const lengthsSource = options.sources?.lengths ?? "lengths";
  const batchFirst = options.batchFirst ?? false;
  const stack = splitLayers(meta, weights, weightSource);
  const cache = new Map();
  const prepare = (inputSize) => {
    let layers = cache.get(inputSize);
    if (layers) return layers;
    layers = prepareLayers(meta, stack, inputSize, makeKernel, weightSource, inputSource);
    cache.set(inputSize, layers);
    return layers;
  };
  // When the weights alone fix the input size, all weight-only work happens now, at creation.
  const known = sizesFromWeights(meta, stack.layers[0][0]);
  const inputSize = evalSize(meta.input.shape[0], known);
  if (inputSize !== null) prepare(inputSize);
  let busy = false;
  const forward = (input, initial, forwardOptions, into) => {
    const { T, B, I } = sequenceDims(input, batchFirst, inputSource);
    const given = initialStates(meta, initial, options);
    const lengths = forwardLengths(forwardOptions, T, B, lengthsSource);
    const layers = withMemory(weightSource, "building the layers", () => prepare(I));
    const { directions: D, outFeatures: F, stateSizes } = describeLayers(layers);
    const count = layers.length * D;
    checkForwardFloats(layers, T, B, I, inputSource);
    const { output, states } = into ?? allocateResult(arrayType, T * B * F, count * B, stateSizes);
    meta.states.forEach((s, i) => {
      const t = given.get(s.name);
      if (!t) return;
      checkInitialState(t, s.name, count, B, stateSizes[i], options);
      states[i].set(t.data);
    });
    // With no step or no sample there is nothing to compute: the states stay as they are given.
    if (T > 0 && B > 0) {
      // Kernels never write their input: seq-first input of the right type is read where it is.
      const xs = batchFirst
        ? transpose(input.data, B, T, I, new arrayType(T * B * I))
        : input.data instanceof arrayType
          ? input.data
          : copyInto(new arrayType(T * B * I), input.data);
      const last = batchFirst ? null : output;
      const run = () =>
        runLayers(layers, { xs, inSize: I, T, B, lengths }, states, arrayType, last);
      const ys = withMemory(inputSource, `for a (T=${T}, B=${B}) forward`, run);
      if (batchFirst) transpose(ys, T, B, F, output);
    }
    const finals = meta.states.map((s, i) => {
      const t = { data: states[i], shape: [count, B, stateSizes[i]] };
      return [s.name, t];
    });
    return {
      output: { data: output, shape: batchFirst ? [B, T, F] : [T, B, F] },
      // fromEntries makes own properties, so a state named `__proto__` is kept as one.
      states: Object.fromEntries(finals),
    };
  };
  return {
    describe: (size) => describeLayers(prepare(size)),
    forward(input, initial, forwardOptions, into) {
      if (busy) throw reentered();
      busy = true;
      try {
        return forward(input, initial, forwardOptions, into);
      } finally {
        busy = false;
      }
    },
  };
}
/** A forward started while one of the same stack runs (from a getter of its input, say). */
function reentered() {
  const detail =
    "a forward of this model was started while another one runs (from inside a getter of its input?); it would share buffers with it: use a second model";
  return new DataError("forward", null, detail);
}
/** Refuses a forward whose buffers would be over the limits, before any is allocated. */
function checkForwardFloats(layers, T, B, I, source) {
  const D = layers[0].length;
  const stateFloats = layers[0][0].stateSizes.reduce((a, b) => a + b, 0);
  checkFloats(T * B * I, source, "the input");
  checkFloats(layers.length * D * B * stateFloats, source, "the states");
  layers.forEach((directions, k) => {
    checkFloats(T * B * D * directions[0].outSize, source, `the output of layer ${k}`);
  });
}
/**
 * One allocation for everything a forward returns (a typed array's own buffer costs far more than
 * a view, which matters for short sequences): the output, then per state its (L*D, B, size)
 * tensor, on whose views every (layer, direction) reads initial and writes final values.
 */
function allocateResult(arrayType, outputLength, rows, stateSizes) {
  const block = new arrayType(outputLength + rows * stateSizes.reduce((a, b) => a + b, 0));
  let at = outputLength;
  const states = stateSizes.map((size) => block.subarray(at, (at += rows * size)));
  return { output: block.subarray(0, outputLength), states };
}
/**
 * Runs the layers in turn, each on the one before's outputs (zeros past each sample's length),
 * and returns the last one's (T, B, D * outSize) outputs, written into `last` when given.
 * `states` are (L*D, B, size).
 */
function runLayers(layers, input, states, arrayType, last) {
  const { T, B, lengths } = input;
  const D = layers[0].length;
  const count = layers.length * D;
  const stateSizes = layers[0][0].stateSizes;
  // The (B, size) slice of each state that (layer, direction) number j reads and writes.
  const views = (j) =>
    states.map((data, i) => {
      if (count === 1) return data;
      const part = B * stateSizes[i];
      return data.subarray(j * part, (j + 1) * part);
    });
  let { xs, inSize } = input;
  for (let k = 0; k < layers.length; k++) {
    const directions = layers[k];
    const outSize = directions[0].outSize;
    const ys = k === layers.length - 1 && last ? last : new arrayType(T * B * D * outSize);
    for (let d = 0; d < D; d++) {
      directions[d].kernel({
        xs,
        inSize,
        states: views(k * D + d),
        ys,
        outStride: D * outSize,
        outOffset: d * outSize,
        steps: T,
        batch: B,
        reverse: directions[d].reverse,
        lengths,
      });
    }
    if (lengths) zeroPadding(ys, T, B, D * outSize, lengths);
    xs = ys;
    inSize = D * outSize;
  }
  return xs;
}
/** (a, b, F) -> (b, a, F): batch-first to seq-first and back. */
function transpose(data, a, b, F, out) {
  for (let i = 0; i < a; i++)
    for (let j = 0; j < b; j++)
      out.set(data.subarray((i * b + j) * F, (i * b + j + 1) * F), (j * a + i) * F);
  return out;
}
function copyInto(out, data) {
  out.set(data);
  return out;
}
/** The most pieces a forward is cut into: a few per thread, so one whose core is busy does less. */
function maxPieces(threads) {
  return 4 * threads;
}
/**
 * Below this many multiply-adds per piece (estimated as T * rows * F * (I + F)), handing work
 * to another thread costs more than it saves: about 50 microseconds at the kernels' speed.
 */
const MIN_PIECE_WORK = 1 << 18;
/** Batch rows per piece for a forward of (T, B, I) inputs and F output features. */
function planPieces(T, B, I, F, threads) {
  return splitRows(B, threads, maxPieces(threads), T * B * F * (I + F));
}
/**
 * Batch rows per piece, as even as possible: four rows or more (the kernels' row block) when
 * there are enough for a piece per thread, never fewer than two (a kernel computes a single row,
 * a batch of one, differently, and results must not depend on the split).
 */
function splitRows(B, threads, maxPieces, work) {
  const byWork = Math.max(1, Math.floor(work / MIN_PIECE_WORK));
  const byRows = Math.max(
    Math.min(threads, Math.floor(B / 2)),
    Math.min(maxPieces, Math.floor(B / 4)),
  );
  const pieces = Math.max(1, Math.min(byRows, byWork));
  const edge = (k) => Math.floor((k * B) / pieces);
  return Array.from({ length: pieces }, (_, k) => edge(k + 1) - edge(k));
}
/** A piece's tensors, seq-first, from float `base` on: input, each state, output, lengths. */
function pieceLayout(base, T, rows, I, shape) {
  let at = base;
  const input = at;
  at += T * rows * I;
  const count = shape.layers * shape.directions;
  const states = shape.stateSizes.map((size) => {
    const offset = at;
    at += count * rows * size;
    return offset;
  });
  const output = at;
  at += T * rows * shape.outFeatures;
  const lengths = at;
  at += rows;
  return { input, states, output, lengths, end: at };
}
/** Runs the stack on one piece in place: initial states are read, final ones written back. */
function runPiece(stack, floats, layout, { T, rows, I, withLengths }, shape) {
  const count = shape.layers * shape.directions;
  const input = {
    data: floats.subarray(layout.input, layout.input + T * rows * I),
    shape: [T, rows, I],
  };
  const output = floats.subarray(layout.output, layout.output + T * rows * shape.outFeatures);
  const states = shape.stateSizes.map((size, i) =>
    floats.subarray(layout.states[i], layout.states[i] + count * rows * size),
  );
  const lengths = withLengths
    ? new Int32Array(floats.buffer, floats.byteOffset + 4 * layout.lengths, rows)
    : undefined;
  stack.forward(input, {}, lengths ? { lengths } : {}, { output, states });
}
/**
 * Copies rows [b0, b0 + rows) between a whole tensor and a piece's region (seq-first): a
 * sequence (T, B, F), or (B, T, F) when batch-first, or a state (count, B, size).
 */
class RowCopier {
  floats;
  T;
  B;
  batchFirst;
  constructor(floats, T, B, batchFirst) {
    this.floats = floats;
    this.T = T;
    this.B = B;
    this.batchFirst = batchFirst;
  }
  sequence(whole, at, b0, rows, F, into) {
    const { T, B } = this;
    for (let t = 0; t < T; t++) {
      if (this.batchFirst) {
        for (let b = 0; b < rows; b++) {
          this.move(whole, ((b0 + b) * T + t) * F, at + (t * rows + b) * F, F, into);
        }
      } else {
        this.move(whole, (t * B + b0) * F, at + t * rows * F, rows * F, into);
      }
    }
  }
  state(whole, at, b0, rows, size, into) {
    const count = whole.length / (this.B * size);
    for (let l = 0; l < count; l++) {
      this.move(whole, (l * this.B + b0) * size, at + l * rows * size, rows * size, into);
    }
  }
  /** n floats: whole[w..] -> region[r..] when `into`, back otherwise. */
  move(whole, w, r, n, into) {
    if (into) this.floats.set(whole.subarray(w, w + n), r);
    else whole.set(this.floats.subarray(r, r + n), w);
  }
}
/** Node's worker_threads, or null where there is none (browsers, other runtimes). */
function workerThreads() {
  const proc = globalThis.process;
  const module = proc?.getBuiltinModule?.("node:worker_threads");
  return module ?? null;
}
/** The options of a piece's stack: seq-first, one thread, the caller's labels for errors. */
function pieceOptions(sources) {
  return sources ? { sources } : {};
}
/**
 * Indexes of the control words (an Int32Array). A forward publishes its pieces (batch-row
 * ranges, each with a region of the shared floats), bumps GENERATION, and every thread claims
 * pieces through NEXT until none is left; PENDING counts the workers still in the generation.
 */
const Control = {
  GENERATION: 0,
  PENDING: 1,
  READY: 2,
  FAILED: 3,
  STOPPED: 4,
  STEPS: 5,
  FEATURES: 6,
  NEXT: 7,
  PIECES: 8,
  /** 1 when the pieces carry sequence lengths (each in its region, as Int32 words), else 0. */
  LENGTHS: 9,
  /** Then per piece k: its region's first float at FIRST_PIECE + 2k, its rows after it. */
  FIRST_PIECE: 10,
};
function serveWorker(data, makeStack) {
  const control = new Int32Array(data.control);
  const fail = (e) => {
    data.port.postMessage(e instanceof Error ? e.message : String(e));
    Atomics.store(control, Control.FAILED, 1);
  };
  let stack;
  try {
    // Weight-only work (packing, folded constants) happens here, off the calling thread.
    stack = makeStack(new Map(data.weights), pieceOptions(data.sources));
  } catch (e) {
    fail(e);
    Atomics.add(control, Control.READY, 1);
    Atomics.notify(control, Control.READY);
    return;
  }
  const wt = workerThreads();
  let floats = new Float32Array(data.data);
  let seen = Atomics.load(control, Control.GENERATION);
  Atomics.add(control, Control.READY, 1);
  Atomics.notify(control, Control.READY);
  for (;;) {
    Atomics.wait(control, Control.GENERATION, seen);
    seen = Atomics.load(control, Control.GENERATION);
    if (Atomics.load(control, Control.STOPPED)) return;
    // A larger buffer is posted before the generation that needs it.
    for (let m; (m = wt?.receiveMessageOnPort(data.port));) {
      floats = new Float32Array(m.message);
    }
    try {
      runClaimedPieces(stack, control, floats);
    } catch (e) {
      fail(e);
    }
    if (Atomics.sub(control, Control.PENDING, 1) === 1) {
      Atomics.notify(control, Control.PENDING);
    }
  }
}
/** Claims pieces of the current forward one at a time and runs them, until none is left. */
function runClaimedPieces(stack, control, floats) {
  const T = Atomics.load(control, Control.STEPS);
  const I = Atomics.load(control, Control.FEATURES);
  const pieces = Atomics.load(control, Control.PIECES);
  const withLengths = Atomics.load(control, Control.LENGTHS) === 1;
  const shape = stack.describe(I);
  for (let k; (k = Atomics.add(control, Control.NEXT, 1)) < pieces;) {
    const base = Atomics.load(control, Control.FIRST_PIECE + 2 * k);
    const rows = Atomics.load(control, Control.FIRST_PIECE + 2 * k + 1);
    const layout = pieceLayout(base, T, rows, I, shape);
    runPiece(stack, floats, layout, { T, rows, I, withLengths }, shape);
  }
}
// CommonJS, evaluated by each worker: imports the module and serves, or reports why it cannot.
const BOOTSTRAP = `const { workerData } = require("node:worker_threads");
import(workerData.url).then(
  (m) => m.serveThread(workerData),
  (e) => {
    const control = new Int32Array(workerData.control);
    workerData.port.postMessage(String((e && e.message) || e));
    Atomics.store(control, ${Control.FAILED}, 1);
    Atomics.add(control, ${Control.READY}, 1);
    Atomics.notify(control, ${Control.READY});
  },
);`;
/** Reads `options.threads`: an integer from 1 to MAX_THREADS, 1 when absent. */
function threadCount(options) {
  const n = options.threads ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS) {
    const detail = `expected an integer from 1 to ${MAX_THREADS}, found ${String(n)}`;
    throw new DataError("options.threads", null, detail);
  }
  return n;
}
/**
 * A pool of `options.threads - 1` workers beside the calling thread, or null when one thread is
 * asked for, the platform has no worker threads or the module no URL to start them from.
 * `stack` runs what is not worth splitting.
 */
function createThreadPool(meta, weights, options, moduleUrl, stack, makeStack) {
  const threads = threadCount(options);
  const wt = threads > 1 && moduleUrl ? workerThreads() : null;
  if (!wt || !moduleUrl) return null;
  const words = Control.FIRST_PIECE + 2 * maxPieces(threads);
  const control = new Int32Array(new SharedArrayBuffer(4 * words));
  const workers = startWorkers(wt, threads - 1, moduleUrl, control, weights, options);
  const batchFirst = options.batchFirst ?? false;
  const inputSource = options.sources?.input ?? "input";
  const lengthsSource = options.sources?.lengths ?? "lengths";
  // Pieces are seq-first; a batch-first stack needs a seq-first twin on the calling thread.
  let pieceStack = batchFirst ? null : stack;
  let data = new SharedArrayBuffer(0);
  let started = false;
  let closed = false;
  const failure = () => {
    const messages = workers.flatMap((w, k) => {
      const m = wt.receiveMessageOnPort(w.port);
      return m ? [`worker thread ${k + 1}: ${String(m.message)}`] : [];
    });
    Atomics.store(control, Control.FAILED, 0);
    return new Error(messages.join("\n") || "a worker thread failed");
  };
  const close = () => {
    if (closed) return;
    closed = true;
    Atomics.store(control, Control.STOPPED, 1);
    Atomics.add(control, Control.GENERATION, 1);
    Atomics.notify(control, Control.GENERATION);
    for (const w of workers) {
      w.port.close();
      void w.handle.terminate();
    }
  };
  /** Blocks until every worker has built its stack; a worker that could not start closes the pool. */
  const awaitStart = () => {
    if (started) return;
    for (let ready; (ready = Atomics.load(control, Control.READY)) < workers.length;) {
      Atomics.wait(control, Control.READY, ready);
    }
    started = true;
    if (Atomics.load(control, Control.FAILED)) {
      const error = failure();
      close();
      throw error;
    }
  };
  /** Makes the shared floats at least `floats` long, telling the workers before they need it. */
  const reserve = (floats) => {
    if (data.byteLength < 4 * floats) {
      data = new SharedArrayBuffer(4 * floats);
      for (const w of workers) w.port.postMessage(data);
    }
    return new Float32Array(data);
  };
  const forward = (input, initial, forwardOptions) => {
    const { T, B, I } = sequenceDims(input, batchFirst, inputSource);
    const given = initialStates(meta, initial, options);
    const lengths = forwardLengths(forwardOptions, T, B, lengthsSource);
    const shape = stack.describe(I);
    const F = shape.outFeatures;
    const rows = closed || T === 0 ? [B] : planPieces(T, B, I, F, threads);
    if (rows.length === 1) return stack.forward(input, initial, forwardOptions);
    const count = shape.layers * shape.directions;
    meta.states.forEach((s, i) => {
      const t = given.get(s.name);
      if (t) checkInitialState(t, s.name, count, B, shape.stateSizes[i], options);
    });
    awaitStart();
    const layouts = [];
    for (const n of rows) layouts.push(pieceLayout(layouts.at(-1)?.end ?? 0, T, n, I, shape));
    const end = layouts.at(-1).end;
    checkFloats(end, inputSource, "the threads' shared buffer");
    const floats = withMemory(inputSource, "for the threads' shared buffer", () => reserve(end));
    const copier = new RowCopier(floats, T, B, batchFirst);
    // Lengths are integers: an Int32Array on the same shared memory holds them.
    const ints = lengths && new Int32Array(floats.buffer, 0, floats.length);
    const firstRow = rows.map((_, k) => rows.slice(0, k).reduce((a, b) => a + b, 0));
    rows.forEach((n, k) => {
      const at = layouts[k];
      copier.sequence(input.data, at.input, firstRow[k], n, I, true);
      meta.states.forEach((s, i) => {
        const t = given.get(s.name);
        if (t) copier.state(t.data, at.states[i], firstRow[k], n, shape.stateSizes[i], true);
        else floats.fill(0, at.states[i], at.states[i] + count * n * shape.stateSizes[i]);
      });
      if (lengths && ints) ints.set(lengths.subarray(firstRow[k], firstRow[k] + n), at.lengths);
      Atomics.store(control, Control.FIRST_PIECE + 2 * k, at.input);
      Atomics.store(control, Control.FIRST_PIECE + 2 * k + 1, n);
    });
    Atomics.store(control, Control.STEPS, T);
    Atomics.store(control, Control.FEATURES, I);
    Atomics.store(control, Control.PIECES, rows.length);
    Atomics.store(control, Control.LENGTHS, lengths ? 1 : 0);
    Atomics.store(control, Control.NEXT, 0);
    Atomics.store(control, Control.PENDING, workers.length);
    Atomics.add(control, Control.GENERATION, 1);
    Atomics.notify(control, Control.GENERATION);
    try {
      pieceStack ??= makeStack(weights, pieceOptions(options.sources));
      runClaimedPieces(pieceStack, control, floats);
    } finally {
      // Every worker leaves the generation before the next one resets the pieces.
      for (let left; (left = Atomics.load(control, Control.PENDING)) > 0;) {
        Atomics.wait(control, Control.PENDING, left);
      }
    }
    if (Atomics.load(control, Control.FAILED)) throw failure();
    return gather(meta, copier, layouts, rows, firstRow, T, B, shape, batchFirst);
  };
  let busy = false;
  const pool = {
    close,
    forward(input, initial, forwardOptions) {
      // The shared floats and control words serve one forward at a time.
      if (busy) throw reentered();
      busy = true;
      try {
        return forward(input, initial, forwardOptions);
      } finally {
        busy = false;
      }
    },
  };
  // A model dropped without close() must not leave its threads behind.
  poolsToStop.register(pool, close);
  return pool;
}
/** Stops the workers of pools that were garbage-collected (`close` holds no reference to its pool). */
const poolsToStop = new FinalizationRegistry((close) => close());
function startWorkers(wt, count, url, control, weights, options) {
  // Own copies, so that cloning for the workers does not copy whole files the tensors view.
  const entries = [...weights].map(([name, t]) => [name, { data: t.data.slice(), shape: t.shape }]);
  return Array.from({ length: count }, () => {
    const { port1, port2 } = new wt.MessageChannel();
    const workerData = {
      url,
      control: control.buffer,
      data: new SharedArrayBuffer(0),
      port: port2,
      weights: entries,
      sources: options.sources,
    };
    const handle = new wt.Worker(BOOTSTRAP, { eval: true, workerData, transferList: [port2] });
    // Idle workers must not keep the process alive.
    handle.unref();
    return { handle, port: port1 };
  });
}
/** The pieces' outputs and final states, put together as one forward returns them. */
function gather(meta, copier, layouts, rows, firstRow, T, B, shape, batchFirst) {
  const F = shape.outFeatures;
  const count = shape.layers * shape.directions;
  const output = new Float32Array(T * B * F);
  const states = meta.states.map((_, i) => {
    const size = shape.stateSizes[i];
    const t = {
      data: new Float32Array(count * B * size),
      shape: [count, B, size],
    };
    return t;
  });
  rows.forEach((n, k) => {
    const at = layouts[k];
    copier.sequence(output, at.output, firstRow[k], n, F, false);
    states.forEach((t, i) => {
      copier.state(t.data, at.states[i], firstRow[k], n, shape.stateSizes[i], false);
    });
  });
  const named = meta.states.map((s, i) => [s.name, states[i]]);
  return {
    output: { data: output, shape: batchFirst ? [B, T, F] : [T, B, F] },
    // fromEntries makes own properties, so a state named `__proto__` is kept as one.
    states: Object.fromEntries(named),
  };
}
function entriesOf(weights, source) {
  if (weights instanceof Map) return [...weights].map(([k, t]) => [String(k), t]);
  if (typeof weights !== "object" || weights === null) {
    throw new DataError(source, null, "expected an object or a Map of tensors by name");
  }
  return Object.entries(weights);
}
/** The weights as checked float32 tensors, what compiled kernels compute with. */
function float32Weights(weights, source) {
  return new Map(
    entriesOf(weights, source).map(([name, t]) => [name, asFloat32Tensor(t, name, source)]),
  );
}

// === embedded WebAssembly runtime (modules with WebAssembly kernels)
// The WebAssembly side of generated kernels: WebAssembly memory with a bump allocator (offsets
// are float indices, 16-byte aligned, with slack after each block so whole-vector reads past the
// end stay inside), the kernels' instance, and weights packed into the GEMM's panel layout.
// Generated modules embed this file; the WebAssembly API is reached through `globalThis` and typed
// here, so the embedded TypeScript needs neither DOM nor Node typings.
/** Outputs per weight panel of the GEMM kernel (wasm/gemm.ts). */
const PANEL = 8;
/** Floats per row of a kernel buffer: whole panels, and room for a vector written past the end. */
function rowFloats(length) {
  return ((length + PANEL - 1) & ~(PANEL - 1)) + PANEL;
}
/**
 * Below this many multiply-adds per sample and step (matrix elements), calling into WebAssembly
 * costs more than it saves: measured on LSTMs, JavaScript wins at 4H(I+H) = 48, loses at 128.
 */
const TINY_LAYER_MACS = 64;
/**
 * Whether a layer is so small that the JavaScript kernel runs it faster. Decided from the weights
 * alone, so every piece of a batch split over threads takes the same kernel (same results).
 */
function isTinyLayer(weights) {
  let macs = 0;
  for (const t of weights.values()) if (t.shape.length === 2) macs += t.shape[0] * t.shape[1];
  return macs < TINY_LAYER_MACS;
}
/** The compiled kernels, or null where WebAssembly SIMD is unavailable (the JS kernel runs). */
function compileKernels(base64) {
  const api = globalThis.WebAssembly;
  const decode = globalThis.atob;
  if (!api || !decode) return null;
  const bytes = Uint8Array.from(decode(base64), (ch) => ch.charCodeAt(0));
  return api.validate(bytes) ? new api.Module(bytes) : null;
}
/**
 * The kernels' memory. It never grows in place: `Memory.grow` detaches the old ArrayBuffer, and
 * the first detached buffer in a process makes V8 check for detachment on every typed-array access
 * from then on (its "array buffer detaching protector"): all JavaScript typed-array code, not ours
 * alone, got ~20% slower. Running out of room instead moves to a new, larger memory and a new
 * instance of the kernels; `f32` and `kernels` change then, so callers read them after allocating.
 */
class Heap {
  module;
  kernels;
  /** The first free float. */
  top = 16;
  f32;
  constructor(module) {
    this.module = module;
    ({ kernels: this.kernels, f32: this.f32 } = this.instantiate(1));
  }
  /** Room for `floats`, in a new memory at least twice as large when the current one is full. */
  alloc(floats) {
    if (!(floats >= 0)) throw new Error(`internal: cannot allocate ${floats} floats`);
    const at = this.top;
    this.top += ((floats + 3) & ~3) + 16;
    if (this.top > this.f32.length) {
      const pages = Math.ceil(Math.max(this.top * 4, 2 * this.f32.byteLength) / 65536);
      const next = this.instantiate(pages);
      next.f32.set(this.f32);
      ({ kernels: this.kernels, f32: this.f32 } = next);
    }
    return at;
  }
  instantiate(pages) {
    const api = globalThis.WebAssembly;
    const memory = new api.Memory({ initial: pages });
    const kernels = new api.Instance(this.module, { env: { memory } }).exports;
    return { kernels, f32: new Float32Array(memory.buffer) };
  }
  /** A copy of a vector, zero-padded to `length` floats. */
  vector(data, length) {
    const at = this.alloc(length);
    this.f32.set(data, at);
    return at;
  }
  /** W (m x k, row-major) in panels: panel p holds W[PANEL*p + e, j] at (p*k + j)*PANEL + e. */
  packed(w, m, k) {
    const panels = Math.ceil(m / PANEL);
    const at = this.alloc(panels * k * PANEL);
    const f32 = this.f32;
    for (let p = 0; p < panels; p++) {
      for (let j = 0; j < k; j++) {
        for (let e = 0; e < PANEL; e++) {
          const i = p * PANEL + e;
          f32[at + (p * k + j) * PANEL + e] = i < m ? w[i * k + j] : 0;
        }
      }
    }
    return at;
  }
}
