using System.Diagnostics;
using Tangent.Dynamics;
using Tangent.IO;
using Tangent.Kernels;
using Tangent.Layers;
using Tangent.Linalg;
using Tangent.Specs;

namespace Tangent.Experiments;

/// <summary>Result of <see cref="DigitsDemo.Run"/>.</summary>
public sealed record DigitsDemoResult(string Architecture, int Train, int Test, double TestAccuracy, double KernelSeconds, double SolveSeconds);

/// <summary>
/// NTK regression on the built-in digits: the first 1000 images train, the other 797 test, one-hot targets,
/// the analytic NTK of the architecture and a Cholesky solve (the infinite-time limit of gradient descent).
/// </summary>
public static class DigitsDemo
{
    /// <summary>The default architecture: three ReLU layers, then a linear readout.</summary>
    public const string DefaultArchitecture = "dense(w=1.41,b=0.1) > relu > dense(w=1.41,b=0.1) > relu > dense(w=1.41,b=0.1) > relu > dense(w=1)";

    /// <summary>Digits scaled to [0, 1] and centred per pixel on the training mean.</summary>
    public static (Matrix<double> X, int[] Labels) Data()
    {
        var (images, labels) = Digits.Load();
        int n = Digits.Count, d = Digits.Pixels;
        var x = new Matrix<double>(n, d);
        for (int i = 0; i < images.Length; i++) x.Data[i] = images[i] / 16.0;
        return (x, labels);
    }

    /// <summary>The depth-3 convolutional architecture with global average pooling (the CNTK-GAP of Arora et al. 2019).</summary>
    public const string ConvolutionalArchitecture = "conv(f=3,pad=same,w=1.41,b=0.1) > relu > conv(f=3,pad=same,w=1.41,b=0.1) > relu > conv(f=3,pad=same,w=1.41,b=0.1) > relu > global_avg_pool > dense";

    /// <summary>Runs the demo.</summary>
    public static DigitsDemoResult Run(string architecture = DefaultArchitecture, int train = 1000, IProgress<double>? progress = null)
    {
        var arch = Architecture.Parse(architecture);
        var (x, labels) = Data();
        int n = x.Rows, test = n - train;
        var clock = Stopwatch.StartNew();
        // Convolutional architectures see the digits as 8x8x1 images, fully connected ones as 64 features.
        bool images = arch.Layers.Any(l => l is Conv or AvgPool or GlobalAvgPool or Flatten);
        var shape = images ? new TensorShape([Digits.Side, Digits.Side], 1) : TensorShape.Flat(Digits.Pixels);
        var k = AnalyticKernel.ComputeImages(arch, x, shape, null, new KernelOptions { Progress = progress }).Ntk!;
        double kernelSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var kTrain = new Matrix<double>(train, train);
        var kTest = new Matrix<double>(test, train);
        for (int i = 0; i < train; i++) k.Row(i)[..train].CopyTo(kTrain.Row(i));
        for (int i = 0; i < test; i++) k.Row(train + i)[..train].CopyTo(kTest.Row(i));
        var y = new Matrix<double>(train, 10);
        for (int i = 0; i < train; i++) y[i, labels[i]] = 1;
        var pred = KernelRegression.Predict(kTrain, y, kTest, relativeRidge: 1e-10);
        double solveSeconds = clock.Elapsed.TotalSeconds;
        int correct = 0;
        for (int i = 0; i < test; i++)
        {
            var row = pred.Row(i);
            int best = 0;
            for (int c = 1; c < 10; c++) if (row[c] > row[best]) best = c;
            if (best == labels[train + i]) correct++;
        }
        return new DigitsDemoResult(arch.ToString(), train, test, (double)correct / test, kernelSeconds, solveSeconds);
    }
}
