using Matrix.Router.Configuration;
using Microsoft.Extensions.Options;

namespace Matrix.Router;

public static class Program
{
    /// <summary>
    /// .NET runs socket completions on its epoll threads instead of queueing each to the thread pool when this is 1.
    /// For a proxy, whose every step is a short non-blocking continuation of a socket operation, that saves about a
    /// quarter of the CPU per request (docs/performance.md). Read once, when the first socket is used.
    /// </summary>
    public const string InlineSocketCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Runs the router; exits with 2 and a list of the bad settings when the configuration is unusable.</summary>
    public static int Main(string[] args)
    {
        // The operator's choice wins (set it to 0 to turn this off); unset, the router turns it on for itself.
        if (Environment.GetEnvironmentVariable(InlineSocketCompletions) is null)
        {
            Environment.SetEnvironmentVariable(InlineSocketCompletions, "1");
        }
        if (args.Any(a => a is "--help" or "-h" or "-?"))
        {
            Console.Out.Write(RouterSettings.Help());
            return 0;
        }
        try
        {
            RouterHost.Create(args).Run();
            return 0;
        }
        catch (OptionsValidationException e) when (e.OptionsType == typeof(RouterOptions))
        {
            Console.Error.WriteLine("Matrix.Router configuration is invalid:\n  " + string.Join("\n  ", e.Failures));
            return 2;
        }
    }
}
