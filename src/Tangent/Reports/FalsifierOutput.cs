using Tangent.Experiments;
using Tangent.IO;

namespace Tangent.Reports;

/// <summary>
/// Writes <c>DIR/verdict.json</c> and <c>DIR/report.html</c> so that no partial report is ever left: everything is
/// rendered in memory first (any failure leaves nothing), then each file goes to a temporary name in DIR, is fsynced, and
/// is renamed over its final name, report first and verdict last, so a verdict.json on disk always has its report.
/// </summary>
public static class FalsifierOutput
{
    /// <summary>The two files' names.</summary>
    public const string VerdictFile = "verdict.json", ReportFile = "report.html";

    /// <summary>Renders and writes both files into <paramref name="directory"/> (created if missing); returns their paths.</summary>
    public static (string Verdict, string Report) Write(FalsifierResult result, string directory)
    {
        ArgumentNullException.ThrowIfNull(result);
        byte[] json = FalsifierJson.Render(result);
        string html = FalsifierHtml.Render(result, FalsifierPlots.All(result));
        return Write(directory, json, html);
    }

    /// <summary>Writes already-rendered content (both temporaries first, then the two renames).</summary>
    public static (string Verdict, string Report) Write(string directory, byte[] json, string html)
    {
        string verdict = Path.Combine(directory, VerdictFile), report = Path.Combine(directory, ReportFile);
        using var pendingReport = PendingFile.Create(report);
        using var pendingVerdict = PendingFile.Create(verdict);
        using (var writer = new StreamWriter(pendingReport.Stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true)) writer.Write(html);
        pendingVerdict.Stream.Write(json);
        pendingReport.Commit();
        pendingVerdict.Commit();
        return (verdict, report);
    }
}
