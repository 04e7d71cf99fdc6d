using Matrix.Router.Configuration;
using Microsoft.Extensions.Options;

namespace Matrix.Router;

public static class Program
{
    /// <summary>Runs the router; exits with 2 and a list of the bad settings when the configuration is unusable.</summary>
    public static int Main(string[] args)
    {
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
