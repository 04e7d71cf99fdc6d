namespace Matrix.MediaJanitor.Hosting;

/// <summary>The janitor's own switches; any other argument is passed to .NET configuration (e.g. <c>--Janitor:S3:Bucket=media</c>).</summary>
public sealed record CommandLine(bool Once, bool DryRun, bool Help, IReadOnlyList<string> ConfigurationArguments, string? Error)
{
    public const string Usage = """
        Matrix.MediaJanitor: moves old Synapse media to S3, verifies it, frees the local disk.

        usage: Matrix.MediaJanitor [--once] [--dry-run] [--Janitor:Key=value ...]

          --once       one run, then exit with a status code (for a Kubernetes CronJob)
          (default)    long-running service: a run every Janitor:Schedule:Interval, /health and /alive
          --dry-run    report what would be uploaded, deleted and purged; change nothing
          --help       this text

        Configuration: appsettings.json, environment (Janitor__S3__Bucket=...), or --Janitor:S3:Bucket=...
        Exit codes: 0 success, 1 finished with failures, 2 bad configuration, 3 another run active,
                    4 database/S3 unavailable, 70 unexpected error, 130 cancelled. See docs/media-janitor.md.
        """;

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        bool once = false, dryRun = false, help = false;
        var rest = new List<string>();
        foreach (var arg in args)
        {
            switch (arg)
            {
                case "--once":
                    once = true;
                    break;
                case "--dry-run":
                    dryRun = true;
                    break;
                case "--help" or "-h":
                    help = true;
                    break;
                default:
                    if (!arg.StartsWith("--", StringComparison.Ordinal) || !arg.Contains('='))
                    {
                        return new CommandLine(once, dryRun, help, rest, $"unknown argument '{arg}'");
                    }
                    rest.Add(arg);
                    break;
            }
        }
        return new CommandLine(once, dryRun, help, rest, null);
    }
}
