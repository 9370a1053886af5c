"""Coefficients of cellc's two erf approximations, fitted here with mpmath (no library's table):

1. float64, for the interpreter and the JavaScript kernel (erf in src/embedded/helpers.ts):
   |x| < 1:      erf(x) = x * S(x^2), S a polynomial of degree 11 (Chebyshev fit of
                 erf(sqrt t) / sqrt t on t in [0, 1]);
   1 <= |x| < 6: erf(|x|) = 1 - exp(-x^2) * G(y), y = (|x| - 3.75) / (|x| + 3.75), G a polynomial
                 of degree 15 fitted to erfcx(x) = exp(x^2) erfc(x) (the variable y, after
                 Shepherd & Laframboise 1981, makes erfcx nearly polynomial over the whole range);
   |x| >= 6:     +-1 (erfc(6) = 2.2e-17 is below half a float64 unit of 1).
2. float32 lanes computed in float64, for the WebAssembly kernel (src/compiler/wasm/erf.ts):
   erf(x) = x * P(x^2) / Q(x^2) on |x| <= 4, P and Q of degree 6, by linearised least squares
   (Sanathanan-Koerner) with Lawson's reweighting towards the minimax relative error.

Prints both as TypeScript lines, with the error of each fit and the float64 erf's measured error
against mpmath. Run from the repository root (about two minutes):
    /usr/bin/python3 tools/erf_coefficients.py
Needs mpmath; the tests do not.
"""

import math
import random

import mpmath as mp

mp.mp.dps = 60
K = 3.75  # the centre of the y variable
SMALL_TERMS, LARGE_TERMS = 12, 16
WASM_LIMIT, WASM_DEGREES, LAWSON_STEPS = 4, (6, 6), 15


def erfcx(x):
    return mp.exp(x * x) * mp.erfc(x)


def erf_over_x(t):
    """erf(sqrt t) / sqrt t, the even part that x * S(x^2) and x * P/Q approximate."""
    return 2 / mp.sqrt(mp.pi) if t == 0 else mp.erf(mp.sqrt(t)) / mp.sqrt(t)


def float64_fits():
    small, small_error = mp.chebyfit(erf_over_x, [0, 1], SMALL_TERMS, error=True)
    k = mp.mpf(K)
    y_range = [(1 - k) / (1 + k), (6 - k) / (6 + k)]
    large, large_error = mp.chebyfit(
        lambda y: erfcx(k * (1 + y) / (1 - y)), y_range, LARGE_TERMS, error=True)
    print(f"// S: {SMALL_TERMS} terms, fit error {mp.nstr(small_error, 3)}")
    print(f"// G: {LARGE_TERMS} terms, fit error {mp.nstr(large_error, 3)}")
    return [float(c) for c in small], [float(c) for c in large]


def horner(coefficients, s):
    r = coefficients[0]
    for c in coefficients[1:]:
        r = r * s + c
    return r


def erf64(x, small, large):
    """The float64 erf exactly as helpers.ts computes it (IEEE float64 in the same order)."""
    a = abs(x)
    if a < 1:
        return x * horner(small, x * x)
    if a < 6:
        r = 1 - math.exp(-a * a) * horner(large, (a - K) / (a + K))
        return -r if x < 0 else r
    return -1.0 if x < 0 else 1.0


def measure64(small, large):
    """The worst relative error, in units of 2^-53, over random arguments of every size."""
    rng = random.Random(1)
    xs = [rng.uniform(0, 7) for _ in range(20000)] + [rng.uniform(0.9, 1.1) for _ in range(5000)]
    xs += [10 ** rng.uniform(-300, 0) for _ in range(2000)]
    worst = (0.0, 0.0)
    for x in xs:
        want = mp.erf(mp.mpf(x))
        units = float(abs(mp.mpf(erf64(x, small, large)) - want) / want * 2**53)
        worst = max(worst, (units, x))
    print(f"// float64 erf: worst {worst[0]:.3f} units of 2^-53 at x = {worst[1]!r}")


def rational_fit(p, q, n=400):
    """x * P(t) / Q(t), t = x^2, Q(0) = 1, towards the least maximum relative error on [0, 4]."""
    scale = mp.mpf(WASM_LIMIT) ** 2
    xs = [WASM_LIMIT * (1 - mp.cos(mp.pi * (i + 0.5) / n)) / 2 for i in range(n)]
    ts = [x * x / scale for x in xs]  # fitted in t / 16 for conditioning, rescaled below
    rs = [erf_over_x(t * scale) for t in ts]
    weights, q_previous, best = [mp.mpf(1) / n] * n, [mp.mpf(1)] * n, None
    for step in range(LAWSON_STEPS):
        rows, rhs = [], []
        for t, r, qp, w in zip(ts, rs, q_previous, weights):
            s = mp.sqrt(w) / (r * qp)
            rows.append([s * t**j for j in range(p + 1)] + [-s * r * t**j for j in range(1, q + 1)])
            rhs.append(s * r)
        solution = mp.qr_solve(mp.matrix(rows), mp.matrix(rhs))[0]
        a = [solution[j] for j in range(p + 1)]
        b = [mp.mpf(1)] + [solution[p + 1 + j] for j in range(q)]
        num, den = (lambda t: mp.polyval(a[::-1], t)), (lambda t: mp.polyval(b[::-1], t))
        errors = [(num(t) / den(t) - r) / r for t, r in zip(ts, rs)]
        worst = max(abs(e) for e in errors)
        if best is None or worst < best[0]:
            best = (worst, [a[j] / scale**j for j in range(p + 1)], [b[j] / scale**j for j in range(q + 1)])
        if step >= 3:  # Lawson: weight each point by its error, towards equal ripples
            total = sum(w * abs(e) for w, e in zip(weights, errors))
            weights = [w * abs(e) / total for w, e in zip(weights, errors)]
        q_previous = [den(t) for t in ts]
    return best


def measure_rational(a, b):
    """The fit's relative error on a fine grid, with the coefficients rounded to float64."""
    a64, b64 = [float(c) for c in a], [float(c) for c in b]
    worst = 0.0
    for i in range(1, 20001):
        x = WASM_LIMIT * i / 20000
        got = x * horner(a64[::-1], x * x) / horner(b64[::-1], x * x)
        want = mp.erf(mp.mpf(x))
        worst = max(worst, float(abs(got - want) / want))
    print(f"// P/Q relative error {worst:.3g} ({worst * 2**24:.4f} float32 units)")


def show(name, coefficients):
    print(f"const {name} = [")
    print("  " + ", ".join(repr(c) for c in coefficients) + ",")
    print("];")


if __name__ == "__main__":
    small, large = float64_fits()
    measure64(small, large)
    show("S (highest power first)", small)
    show("G (highest power first)", large)
    _, a, b = rational_fit(*WASM_DEGREES)
    a, b = [float(c) for c in a][::-1], [float(c) for c in b][::-1]
    measure_rational(a[::-1], b[::-1])
    show("ERF_P (highest power first)", a)
    show("ERF_Q (highest power first)", b)
