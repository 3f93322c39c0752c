using ScottPlot;
using Tangent.IO;

namespace Tangent.Reports;

/// <summary>Saves ScottPlot figures as PNG and SVG, atomically, with no display needed (SkiaSharp renders off-screen).</summary>
public static class PlotFile
{
    /// <summary>Default size in pixels.</summary>
    public const int Width = 800, Height = 560;

    /// <summary>Writes <c>stem.png</c> and <c>stem.svg</c>; returns the two paths.</summary>
    public static string[] Save(Plot plot, string stem, int width = Width, int height = Height)
    {
        ArgumentNullException.ThrowIfNull(plot);
        byte[] png = plot.GetImageBytes(width, height, ImageFormat.Png);
        string svg = plot.GetSvgXml(width, height);
        string pngPath = stem + ".png", svgPath = stem + ".svg";
        AtomicFile.Write(pngPath, s => s.Write(png));
        AtomicFile.Write(svgPath, s => { using var w = new StreamWriter(s); w.Write(svg); });
        return [pngPath, svgPath];
    }
}
