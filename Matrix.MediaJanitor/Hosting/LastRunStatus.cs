namespace Matrix.MediaJanitor.Hosting;

/// <summary>The result of the latest scheduled run, for the readiness check: its exit code and, if any, what it could not reach.</summary>
public sealed class LastRunStatus
{
    /// <summary>One run's result; replaced whole, so code and problem always come from the same run.</summary>
    public sealed record Result(int Code, string? Problem);

    private Result _last = new(-1, null);

    public Result Last => Volatile.Read(ref _last);

    public void Record(int code, string? problem) => Volatile.Write(ref _last, new Result(code, problem));
}
