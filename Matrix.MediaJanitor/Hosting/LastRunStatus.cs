namespace Matrix.MediaJanitor.Hosting;

/// <summary>The result of the latest scheduled run, for the readiness check.</summary>
public sealed class LastRunStatus
{
    private int _code = -1;

    public int Code => Volatile.Read(ref _code);

    public void Record(int code) => Volatile.Write(ref _code, code);
}
