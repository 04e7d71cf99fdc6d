using BenchmarkDotNet.Running;

namespace Matrix.Bench.Routing;

public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
