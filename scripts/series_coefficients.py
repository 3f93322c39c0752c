#!/usr/bin/env python3
"""Coefficients of the sqrt(1 - z) series in src/Tangent/Numerics/VectorMath.cs, and their error.

Chebyshev fit of sqrt(1 - z) on z in [0, 1/4] (the range the arcsin reduction leaves), converted to powers of z,
rounded to double (13 terms) and single (6 terms), then evaluated in the kernels' order (Estrin's scheme in double,
Horner's rule in single, one rounding per multiply-add) against the 50-digit function on a fine grid.

Needs mpmath (`pip install mpmath`). Run: python3 scripts/series_coefficients.py
"""
import struct

import mpmath as mp

mp.mp.dps = 50


def to_single(x):
    return struct.unpack("f", struct.pack("f", float(x)))[0]


def fma(a, b, c, rounding=float):
    return rounding(mp.mpf(a) * b + c)


def estrin(c, z):
    level = [fma(c[i + 1], z, c[i]) if i + 1 < len(c) else c[i] for i in range(0, len(c), 2)]
    power = float(mp.mpf(z) * z)
    while len(level) > 1:
        level = [fma(level[i + 1], power, level[i]) if i + 1 < len(level) else level[i] for i in range(0, len(level), 2)]
        power = float(mp.mpf(power) * power)
    return level[0]


def horner_single(c, z):
    p = c[-1]
    for k in reversed(c[:-1]):
        p = fma(p, z, k, to_single)
    return p


def main():
    f = lambda z: mp.sqrt(1 - z)
    for terms, rounding, evaluate, name in ((13, float, estrin, "double"), (6, to_single, horner_single, "single")):
        poly, fit_error = mp.chebyfit(f, [0, 0.25], terms, error=True)
        coefficients = [rounding(x) for x in reversed(poly)]
        worst = 0.0
        for k in range(4001):
            z = rounding(0.25 * k / 4000)
            worst = max(worst, abs(evaluate(coefficients, z) - float(f(z))))
        print(f"{name}: {terms} terms, fit error {mp.nstr(fit_error, 3)}, evaluated error {worst:.3g}")
        print("  " + ", ".join(repr(float(x)) for x in reversed(poly)))


if __name__ == "__main__":
    main()
