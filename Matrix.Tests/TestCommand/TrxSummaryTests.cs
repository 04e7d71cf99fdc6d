using System.Diagnostics;
using System.Xml.Linq;
using Matrix.Tests.Infrastructure;

namespace Matrix.Tests.TestCommand;

/// <summary>
/// tests/trx-summary.sh, the closing line of ./test.sh, on a TRX file xunit v3's VSTest adapter wrote in this repository
/// (tests/testdata/xunit-v3-skips.trx: 5 passed, 6 skipped because s3rver was absent). It once printed "0 skipped" for
/// such files: it read the notExecuted counter, which that adapter leaves at 0.
/// </summary>
public sealed class TrxSummaryTests : IDisposable
{
    private static readonly string Recorded = Path.Combine(RepositoryPaths.Root, "tests", "testdata", "xunit-v3-skips.trx");
    private readonly string _scratch = Directory.CreateTempSubdirectory("trx-summary-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public async Task Skipped_tests_are_counted_from_their_results()
    {
        var outcomes = XDocument.Load(Recorded).Descendants().Where(e => e.Name.LocalName == "UnitTestResult")
            .Select(e => (string?)e.Attribute("outcome")).ToList();
        var skipped = outcomes.Count(o => o == "NotExecuted");
        Assert.True(skipped > 0, "the recorded file holds skipped tests");

        var (code, output, error) = await SummaryAsync(Recorded, Recorded);
        Assert.True(code == 0, error);
        Assert.Equal($"Tests: {2 * outcomes.Count(o => o == "Passed")} passed, 0 failed, {2 * skipped} skipped", output.Trim());
    }

    [Fact]
    public async Task A_file_whose_results_do_not_add_up_to_its_total_is_named_and_fails()
    {
        var broken = Path.Combine(_scratch, "broken.trx");
        var document = XDocument.Load(Recorded);
        var counters = document.Descendants().Single(e => e.Name.LocalName == "Counters");
        counters.SetAttributeValue("total", (int)counters.Attribute("total")! + 1);
        document.Save(broken);

        var (code, _, error) = await SummaryAsync(broken);
        Assert.Equal(1, code);
        Assert.Contains(broken, error, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> SummaryAsync(params string[] files)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "tests", "trx-summary.sh"));
        foreach (var file in files)
        {
            start.ArgumentList.Add(file);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output, await error);
    }
}
