using System.Text.Json;
using Tangent.Spectra;

namespace Tangent.Reports;

/// <summary>The JSON form of a <see cref="SpectrumReport"/> (snake_case keys, arrays largest mode first).</summary>
public static class SpectrumJson
{
    /// <summary>Writes <paramref name="report"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, SpectrumReport report) => JsonReport.Write(path, w => Build(w, report));

    private static void Build(Utf8JsonWriter w, SpectrumReport r)
    {
        w.WriteStartObject();
        w.WriteNumber("size", r.Size);
        if (r.Outputs is { } o) w.WriteNumber("outputs", o);
        w.Numbers("eigenvalues", r.Eigenvalues);
        w.Number("trace", r.Trace);
        w.Number("largest_eigenvalue", r.Largest);
        w.Number("smallest_eigenvalue", r.Smallest);
        w.Number("condition_number", r.ConditionNumber);
        w.Number("participation_ratio", r.ParticipationRatio);
        w.Number("entropy_effective_rank", r.EntropyEffectiveRank);
        w.Number("learning_rate", r.LearningRate);
        w.Number("diag_reg_amount", r.RegularizationAmount);
        w.Number("max_learning_rate", r.MaxLearningRate);
        if (r.Convergence is { } c)
        {
            w.WriteStartObject("convergence");
            w.WriteString("bound", "||r(t)||^2 <= exp(-flow_rate * t) ||r(0)||^2 (Du et al. 2019); ||r(k)|| <= step_contraction^k ||r(0)||");
            w.Number("smallest_eigenvalue", c.SmallestEigenvalue);
            w.Number("flow_rate", c.FlowRate);
            w.Number("step_contraction", c.StepContraction);
            w.Number("time_to_1e-3_residual", c.TimeToReach(1e-3));
            w.WriteEndObject();
        }
        if (r.CenteredAlignmentWithCompare is { } cka) w.Number("centered_alignment_with_compare", cka);
        if (r.TargetPower is not null)
        {
            w.WriteStartObject("targets");
            w.Number("kernel_target_alignment", r.KernelTargetAlignment ?? double.NaN);
            w.Number("centered_kernel_target_alignment", r.CenteredKernelTargetAlignment ?? double.NaN);
            w.Numbers("power_per_mode", r.TargetPower);
            w.Numbers("cumulative_power_fraction", r.CumulativeTargetPower);
            w.WriteEndObject();
        }
        if (r.Times is not null)
        {
            w.WriteStartObject("dynamics");
            w.WriteString("note", "gradient flow on 0.5*mean squared error from f0 = 0; errors are mean squared errors");
            w.Numbers("times", r.Times);
            w.Integers("modes", r.Modes);
            w.WriteStartArray("residual_per_mode");
            for (int j = 0; j < r.ResidualPerMode!.Rows; j++)
            {
                w.WriteStartArray();
                foreach (double v in r.ResidualPerMode.Row(j)) w.WriteNumberValue(v);
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.Numbers("train_mse", r.TrainError);
            if (r.TestError is not null) w.Numbers("test_mse", r.TestError);
            w.WriteEndObject();
        }
        if (r.LearningCurve is not null)
        {
            w.WriteStartObject("learning_curve");
            w.WriteString("theory", "Bordelon, Canatar and Pehlevan 2020; Canatar et al. 2021, eqs. 4-5");
            w.Numbers("samples", r.LearningCurve.Select(p => p.Samples).ToArray());
            w.Numbers("kappa", r.LearningCurve.Select(p => p.Kappa).ToArray());
            w.Numbers("gamma", r.LearningCurve.Select(p => p.Gamma).ToArray());
            w.Numbers("predicted_test_mse", r.LearningCurve.Select(p => p.TestError).ToArray());
            if (r.MeasuredLearningCurve is { } m)
            {
                w.WriteStartObject("measured");
                w.Integers("samples", m.Select(p => p.Samples).ToArray());
                w.Numbers("test_mse", m.Select(p => p.TestError).ToArray());
                w.Numbers("test_mse_std", m.Select(p => p.StandardDeviation).ToArray());
                w.Numbers("predicted_test_mse", r.PredictedAtMeasuredSizes);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }
}
