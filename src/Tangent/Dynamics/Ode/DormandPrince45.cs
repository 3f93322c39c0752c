using Tangent.Kernels;

namespace Tangent.Dynamics.Ode;

/// <summary>
/// The explicit Runge–Kutta pair of Dormand and Prince (1980), order 5 with an embedded order-4 error estimate, with
/// adaptive step size: the method of MATLAB's ode45 and SciPy's RK45 (Hairer, Nørsett and Wanner, "Solving Ordinary
/// Differential Equations I", §II.4–II.5). Steps end exactly on each requested output time, so outputs carry the
/// solver's full accuracy without interpolation.
/// </summary>
/// <remarks>
/// Local error control: a step of size h is accepted when
/// sqrt(mean_i (e_i / (atol + rtol · max(|y_i|, |y_i new|)))²) ≤ 1, with e the difference of the 5th- and 4th-order
/// solutions; the next size is h · min(5, max(0.2, 0.9 · err^(−1/5))). The 5th-order solution is propagated (local
/// extrapolation) and the last stage is reused as the next step's first (FSAL). Buffers are allocated once per
/// integration; the stepping loop allocates nothing.
/// </remarks>
public static class DormandPrince45
{
    // Butcher tableau (Dormand and Prince 1980, Table 2; Hairer et al. Table II.5.2).
    private const double C2 = 1.0 / 5, C3 = 3.0 / 10, C4 = 4.0 / 5, C5 = 8.0 / 9;
    private const double A21 = 1.0 / 5;
    private const double A31 = 3.0 / 40, A32 = 9.0 / 40;
    private const double A41 = 44.0 / 45, A42 = -56.0 / 15, A43 = 32.0 / 9;
    private const double A51 = 19372.0 / 6561, A52 = -25360.0 / 2187, A53 = 64448.0 / 6561, A54 = -212.0 / 729;
    private const double A61 = 9017.0 / 3168, A62 = -355.0 / 33, A63 = 46732.0 / 5247, A64 = 49.0 / 176, A65 = -5103.0 / 18656;
    // 5th-order weights (also row 7 of the tableau: FSAL).
    private const double B1 = 35.0 / 384, B3 = 500.0 / 1113, B4 = 125.0 / 192, B5 = -2187.0 / 6784, B6 = 11.0 / 84;
    // 5th minus 4th-order weights: the local error estimate.
    private const double E1 = 71.0 / 57600, E3 = -71.0 / 16695, E4 = 71.0 / 1920, E5 = -17253.0 / 339200, E6 = 22.0 / 525, E7 = -1.0 / 40;

    /// <summary>
    /// Integrates y' = f(t, y) from (<paramref name="t0"/>, <paramref name="y0"/>) and writes the state at each of
    /// <paramref name="times"/> (any order, none before t0, all finite) into row j of <paramref name="output"/>
    /// (times.Count x y0.Length, row-major).
    /// </summary>
    /// <exception cref="KernelRequestException">A time is infinite or before t0, the state stops being finite, or the
    /// step limit is reached (the problem is stiff or the tolerances too tight for the time span).</exception>
    public static OdeStatistics Solve(OdeFunction f, ReadOnlySpan<double> y0, double t0, IReadOnlyList<double> times, Span<double> output, OdeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(times);
        options ??= new OdeOptions();
        int dim = y0.Length;
        if (output.Length < (long)times.Count * dim) throw new ArgumentException($"output holds {output.Length} values, needs {times.Count}x{dim}", nameof(output));
        if (!(options.RelativeTolerance > 0) || !(options.AbsoluteTolerance >= 0))
            throw new ArgumentOutOfRangeException(nameof(options), "tolerances must be positive (relative) and non-negative (absolute)");
        foreach (double requested in times)
            if (!double.IsFinite(requested) || requested < t0)
                throw new KernelRequestException($"the ODE solver needs finite output times from {t0} on, got {requested}; t = infinity has no closed form for this loss");

        var order = Enumerable.Range(0, times.Count).OrderBy(j => times[j]).ToArray();
        double tEnd = times.Count == 0 ? t0 : times[order[^1]];
        var y = y0.ToArray();
        var yNew = new double[dim];
        var stage = new double[dim];
        var k1 = new double[dim]; var k2 = new double[dim]; var k3 = new double[dim]; var k4 = new double[dim];
        var k5 = new double[dim]; var k6 = new double[dim]; var k7 = new double[dim];
        double rtol = options.RelativeTolerance, atol = options.AbsoluteTolerance;

        double t = t0;
        f(t, y, k1);
        int evaluations = 1, accepted = 0, rejected = 0;
        double h = options.InitialStep ?? InitialStep(f, t, y, k1, rtol, atol, stage, k2, ref evaluations);
        int next = 0;
        while (next < order.Length)
        {
            // Outputs at the current time (several requests of the same time, or t0 itself).
            if (times[order[next]] <= t)
            {
                y.CopyTo(output.Slice(order[next] * dim, dim));
                next++;
                continue;
            }
            options.Cancellation.ThrowIfCancellationRequested();
            if (accepted + rejected >= options.MaxSteps)
                throw new KernelRequestException($"the ODE solver reached its limit of {options.MaxSteps} steps at t = {t:G6} of {tEnd:G6}: the flow is too stiff for an explicit method over this span; use shorter times, a smaller learning rate, or looser tolerances");
            double target = times[order[next]];
            // Land exactly on the next output time; a step within 1e-12 relative of it would leave a sliver, so stretch.
            bool landing = t + h >= target - 1e-12 * Math.Abs(target);
            double step = landing ? target - t : h;

            Combine(y, step, A21, k1, stage); f(t + C2 * step, stage, k2);
            Combine(y, step, A31, k1, A32, k2, stage); f(t + C3 * step, stage, k3);
            Combine(y, step, A41, k1, A42, k2, A43, k3, stage); f(t + C4 * step, stage, k4);
            Combine(y, step, A51, k1, A52, k2, A53, k3, A54, k4, stage); f(t + C5 * step, stage, k5);
            Combine(y, step, A61, k1, A62, k2, A63, k3, A64, k4, A65, k5, stage); f(t + step, stage, k6);
            Combine(y, step, B1, k1, B3, k3, B4, k4, B5, k5, B6, k6, yNew); f(t + step, yNew, k7);
            evaluations += 6;

            double err = ErrorNorm(y, yNew, k1, k3, k4, k5, k6, k7, step, rtol, atol);
            if (double.IsNaN(err) || !AllFinite(yNew))
                throw new KernelRequestException($"the ODE state stopped being finite at t = {t + step:G6}: the loss gradient overflows; check the targets and the learning rate");
            double factor = err == 0 ? 5 : Math.Min(5, Math.Max(0.2, 0.9 * Math.Pow(err, -0.2)));
            if (err <= 1)
            {
                t = landing ? target : t + step;
                (y, yNew) = (yNew, y);
                (k1, k7) = (k7, k1);         // FSAL: f(t + h, y_new) is the next step's first stage
                accepted++;
                // A landing step may have been shortened: then keep the free step size unless the error asks for less.
                h = landing && factor >= 1 ? Math.Max(h, step * factor) : step * factor;
                options.Progress?.Report(tEnd > t0 ? (t - t0) / (tEnd - t0) : 1);
            }
            else
            {
                rejected++;
                h = step * Math.Min(1, factor);
            }
            if (!(h > 0) || t + h == t)
                throw new KernelRequestException($"the ODE solver's step size underflowed at t = {t:G6}: the flow is too stiff or singular there");
        }
        return new OdeStatistics(accepted, rejected, evaluations);
    }

    // Hairer, Nørsett and Wanner, §II.4 "Starting step size": h₀ = 0.01 ‖y₀‖/‖f₀‖, one Euler step to estimate the second
    // derivative, then h = (0.01 / max(‖f₀‖, ‖y''‖))^(1/5), capped at 100 h₀.
    private static double InitialStep(OdeFunction f, double t, double[] y, double[] f0, double rtol, double atol, double[] y1, double[] f1, ref int evaluations)
    {
        double d0 = 0, d1 = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double scale = atol + rtol * Math.Abs(y[i]);
            d0 += (y[i] / scale) * (y[i] / scale);
            d1 += (f0[i] / scale) * (f0[i] / scale);
        }
        d0 = Math.Sqrt(d0 / Math.Max(y.Length, 1));
        d1 = Math.Sqrt(d1 / Math.Max(y.Length, 1));
        double h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * d0 / d1;
        for (int i = 0; i < y.Length; i++) y1[i] = y[i] + h0 * f0[i];
        f(t + h0, y1, f1);
        evaluations++;
        double d2 = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double scale = atol + rtol * Math.Abs(y[i]);
            double v = (f1[i] - f0[i]) / scale;
            d2 += v * v;
        }
        d2 = Math.Sqrt(d2 / Math.Max(y.Length, 1)) / h0;
        double h1 = Math.Max(d1, d2) <= 1e-15 ? Math.Max(1e-6, h0 * 1e-3) : Math.Pow(0.01 / Math.Max(d1, d2), 0.2);
        return Math.Min(100 * h0, h1);
    }

    private static double ErrorNorm(double[] y, double[] yNew, double[] k1, double[] k3, double[] k4, double[] k5, double[] k6, double[] k7,
        double h, double rtol, double atol)
    {
        double sum = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double e = h * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
            double scale = atol + rtol * Math.Max(Math.Abs(y[i]), Math.Abs(yNew[i]));
            double r = e / scale;
            sum += r * r;
        }
        return y.Length == 0 ? 0 : Math.Sqrt(sum / y.Length);
    }

    private static bool AllFinite(double[] v) => System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<double>(v);

    private static void Combine(double[] y, double h, double a1, double[] k1, double[] r)
    {
        for (int i = 0; i < y.Length; i++) r[i] = y[i] + h * (a1 * k1[i]);
    }

    private static void Combine(double[] y, double h, double a1, double[] k1, double a2, double[] k2, double[] r)
    {
        for (int i = 0; i < y.Length; i++) r[i] = y[i] + h * (a1 * k1[i] + a2 * k2[i]);
    }

    private static void Combine(double[] y, double h, double a1, double[] k1, double a2, double[] k2, double a3, double[] k3, double[] r)
    {
        for (int i = 0; i < y.Length; i++) r[i] = y[i] + h * (a1 * k1[i] + a2 * k2[i] + a3 * k3[i]);
    }

    private static void Combine(double[] y, double h, double a1, double[] k1, double a2, double[] k2, double a3, double[] k3, double a4, double[] k4, double[] r)
    {
        for (int i = 0; i < y.Length; i++) r[i] = y[i] + h * (a1 * k1[i] + a2 * k2[i] + a3 * k3[i] + a4 * k4[i]);
    }

    private static void Combine(double[] y, double h, double a1, double[] k1, double a2, double[] k2, double a3, double[] k3, double a4, double[] k4, double a5, double[] k5, double[] r)
    {
        for (int i = 0; i < y.Length; i++) r[i] = y[i] + h * (a1 * k1[i] + a2 * k2[i] + a3 * k3[i] + a4 * k4[i] + a5 * k5[i]);
    }
}
