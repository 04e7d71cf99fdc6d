using Matrix.Router.Configuration;

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
        Microsoft.AspNetCore.Builder.WebApplication app;
        try
        {
            app = RouterHost.Create(args);
        }
        catch (RouterConfigurationException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        app.Run();
        return 0;
    }
}
