using Matrix.MediaJanitor.Hosting;

namespace Matrix.MediaJanitor;

public static class Program
{
    public static Task<int> Main(string[] args) => JanitorApplication.RunAsync(args);
}
