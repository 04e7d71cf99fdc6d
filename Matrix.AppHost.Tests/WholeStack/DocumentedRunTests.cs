using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Matrix.AppHost.Media;
using Matrix.AppHost.Routing;
using Matrix.AppHost.Tests.Infrastructure;
using Matrix.Stack.Presets;
using Matrix.Tests.MediaJanitor.Infrastructure;
using Matrix.Tests.Stack.Components.Turn;

namespace Matrix.AppHost.Tests.WholeStack;

/// <summary>
/// README's local run, first user and stop, done as a reader does them: the marked run command as written, from the
/// repository root, as a terminal's foreground job (its own process group); the router awaited at the documented URL;
/// the marked first-user command as written; a login as that user through the router; Ctrl-C (SIGINT to the group);
/// then the AppHost must be gone and so must the stack's containers and s3rver.
/// </summary>
/// <remarks>
/// What differs from a reader's terminal is the environment only, so that nothing of the developer's is read or
/// written: the generated secrets (Aspire's <c>ASPIRE_SECRETS_FILE</c>, and <c>APPDATA</c> for Aspire 13's user
/// secrets) and the local data folder (<c>XDG_DATA_HOME</c>: media store and s3rver) are in a scratch folder; <c>CONTAINERS_CONF</c> and <c>ASPIRE_SUPPRESS_CLI_RUN_HOOK</c> are removed, so the command must
/// carry what it needs. When 18008 is taken here, the documented <c>--Matrix:Router:Port=N</c> is added (and the
/// first-user URL follows); when the dashboard's ports of the launch profile, or TURN's port and relay range, are
/// taken, they are moved the same way.
/// The database volume is the one a reader's run of this checkout keeps: if it exists the test does not run (it would
/// need the reader's secrets and would add a user to the reader's data); the volume the test creates is removed.
/// </remarks>
[Collection(DocumentedRunCollection.Name)]
public sealed class DocumentedRunTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(40);
    // Generous: `dotnet run` builds the AppHost and its projects in Debug first, then the stack starts (minutes each on
    // a loaded machine); stopping waits for every container to stop.
    private static readonly TimeSpan RouterWait = TimeSpan.FromMinutes(25);
    private static readonly TimeSpan StopWait = TimeSpan.FromMinutes(5);
    private static readonly string[] DashboardPortVariables = ["ASPNETCORE_URLS", "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"];
    private static readonly int[] DashboardPorts = [15180, 19180, 20180];

    [Fact]
    public async Task TheReadmesLocalRunFirstUserAndStopWorkAsWritten()
    {
        using var cancellation = new CancellationTokenSource(Budget);
        var ct = cancellation.Token;
        var run = ReadmeCommands.Single(ReadmeCommands.LocalRun);
        Assert.Contains("dotnet run --project Matrix.AppHost", run, StringComparison.Ordinal);
        Assert.Contains("Ctrl-C", ReadmeCommands.Paragraph(ReadmeCommands.Stop), StringComparison.Ordinal);
        var firstUser = DocumentedFirstUser.Command(RouterHostPort.Default);

        var unavailable = await LocalImages.EnsureBuiltAsync(ct) ?? WholeStackRequirement.Check(S3rverMissing());
        Assert.SkipWhen(unavailable is not null, unavailable ?? "");
        var volume = await DatabaseVolumeAsync();
        unavailable = WholeStackRequirement.Check(await Podman.ExistsAsync("volume", volume, ct)
            ? $"the database volume {volume} of a local run of this checkout exists; this test runs README on a fresh database and never touches a reader's: remove it (podman volume rm {volume}, which deletes its data) or run the test in another checkout"
            : null);
        Assert.SkipWhen(unavailable is not null, unavailable ?? "");

        var scratch = Directory.CreateTempSubdirectory("matrix-readme-run-").FullName;
        var environment = Environment(scratch);
        var routerPort = RouterHostPort.Default;
        if (Taken(routerPort))
        {
            routerPort = Matrix.Tests.Infrastructure.FreePort.Tcp();
            run += $" --{RouterHostPort.ConfigurationKey}={routerPort}";
            firstUser = DocumentedFirstUser.Command(routerPort);
            TestContext.Current.SendDiagnosticMessage($"{RouterHostPort.Default} is taken here: the run gets README's --{RouterHostPort.ConfigurationKey}={routerPort}");
        }
        foreach (var (variable, port) in DashboardPortVariables.Zip(DashboardPorts).Where(p => Taken(p.Second)))
        {
            var moved = Matrix.Tests.Infrastructure.FreePort.Tcp();
            run += $" --{variable}=http://localhost:{moved}";
            TestContext.Current.SendDiagnosticMessage($"the launch profile's dashboard port {port} is taken here: the run gets --{variable}=http://localhost:{moved}");
        }
        var turn = new Matrix.Stack.Model.CoturnOptions();
        if (!LoopbackPorts.TcpAndUdpFree(IPAddress.Any, turn.Port) || !LoopbackPorts.UdpRangeFree(IPAddress.Any, turn.RelayPortMin, turn.RelayPortMax))
        {
            // TURN's listening port and relay range are published on the host as set (docs/components.md): a stack
            // already running here holds them, so the run gets free ones through the settings a reader would change.
            var port = LoopbackPorts.TcpAndUdp(IPAddress.Any);
            var (relayMin, relayMax) = LoopbackPorts.UdpRange(IPAddress.Any, turn.RelayPortMax - turn.RelayPortMin + 1);
            var moved = $"--Matrix:Settings:coturn.port={port} --Matrix:Settings:coturn.relayPortMin={relayMin} --Matrix:Settings:coturn.relayPortMax={relayMax}";
            run += " " + moved;
            TestContext.Current.SendDiagnosticMessage($"TURN's port {turn.Port} or relay range {turn.RelayPortMin}-{turn.RelayPortMax} is taken here: the run gets {moved}");
        }
        IReadOnlyList<string> stack = [];
        var stopped = false;
        var group = ProcessGroup.Start(run, AppHostPaths.Root, environment);
        try
        {
            var router = new Uri($"http://localhost:{routerPort}");
            await WaitForRouterAsync(group, router, ct);
            stack = await Podman.ContainersOfGroupAsync(group.Id, ct);
            Assert.True(stack.Count > 0, "no container of this run was found (by its orchestrator's label)");
            TestContext.Current.SendDiagnosticMessage($"the router answers at {router}; the run's containers: {await Podman.DescribeAsync(stack, ct)}");
            Assert.True(await Podman.ExistsAsync("volume", volume, ct), $"the run keeps its database in no volume {volume} (README: the volume is kept)");
            var s3rverData = Path.Combine(MediaStorageExtensions.LocalDataFolder(Path.Combine(AppHostPaths.Root, "Matrix.AppHost"))
                .Replace(DefaultDataHome, Path.Combine(scratch, "share"), StringComparison.Ordinal), LocalS3Extensions.ResourceName);
            Assert.True(Directory.Exists(Path.Combine(s3rverData, new Matrix.Stack.Model.S3MediaOptions().Bucket)),
                $"s3rver created no bucket in the checkout's data folder {s3rverData}");

            await WaitForHealthyJanitorAsync(group, ct);

            // Aspire logs this exactly when the dashboard shows its red development-certificate banner.
            Assert.DoesNotContain("development certificate", group.Output, StringComparison.OrdinalIgnoreCase);

            var created = await RunToEndAsync(firstUser, environment, ct);
            Assert.True(created.Code == 0, $"`{firstUser}` exited {created.Code}:{System.Environment.NewLine}{created.Output}");
            var userId = Regex.Match(created.Output, @"^created (@\S+) \(server admin\)$", RegexOptions.Multiline).Groups[1].Value;
            var password = Regex.Match(created.Output, @"^password: (\S+)$", RegexOptions.Multiline).Groups[1].Value;
            Assert.False(userId.Length == 0 || password.Length == 0, $"`{firstUser}` printed no admin user ID or password:{System.Environment.NewLine}{created.Output}");
            var client = new MatrixClient(new HttpClient { BaseAddress = router });
            await client.LoginAsync(userId[1..userId.IndexOf(':', StringComparison.Ordinal)], password, ct);
            Assert.Equal(userId, client.UserId);

            // README's stop: Ctrl-C in the terminal, i.e. SIGINT to the foreground process group.
            await group.InterruptAsync();
            stopped = await group.WaitForExitAsync(StopWait);
            Assert.True(stopped, $"the AppHost did not exit within {StopWait.TotalMinutes} minutes of Ctrl-C; its last lines:{System.Environment.NewLine}{group.Tail}");
            TestContext.Current.SendDiagnosticMessage($"`dotnet run` exited with {group.ExitCode} after Ctrl-C");
            var left = await WaitUntilGoneAsync(stack, ct);
            Assert.True(left.Count == 0, $"after Ctrl-C these containers of the stack remain: {await Podman.DescribeAsync(left, ct)}");
            var s3rverLeft = await Podman.ProcessesMentioningAsync(scratch, ct);
            Assert.True(s3rverLeft.Length == 0, $"after Ctrl-C processes of the run remain: {s3rverLeft}");
        }
        catch (Exception e) when (!stopped)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}{System.Environment.NewLine}the run's last lines:{System.Environment.NewLine}{group.Tail}", e);
        }
        finally
        {
            await group.DisposeAsync();
            await Podman.RemoveAsync(stack);
            await Podman.RunAsync(["volume", "rm", "--force", volume], CancellationToken.None);
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static string DefaultDataHome =>
        System.Environment.GetFolderPath(System.Environment.SpecialFolder.LocalApplicationData, System.Environment.SpecialFolderOption.DoNotVerify);

    /// <summary>The model's name for its database volume (Aspire derives it from the AppHost's path), without starting anything.</summary>
    private static async Task<string> DatabaseVolumeAsync()
    {
        await using var builder = await AppHostFactory.CreateAsync(StackPresets.Monolith);
        return builder.Resources.OfType<PostgresServerResource>().Single().Annotations.OfType<ContainerMountAnnotation>()
            .Single(m => m.Type == ContainerMountType.Volume).Source!;
    }

    // The model looks for s3rver under .tools/ (where .ci/run installs it), then on PATH, which the test extends with
    // MATRIX_TEST_S3RVER's folder (see Environment).
    private static string? S3rverMissing() =>
        File.Exists(Path.Combine(AppHostPaths.Root, LocalS3Settings.InstalledPath))
        || File.Exists(System.Environment.GetEnvironmentVariable(S3rverProcess.PathVariable) ?? "")
        || OnPath(LocalS3Extensions.ResourceName)
            ? null
            : $"s3rver is not installed ({LocalS3Settings.InstalledPath} in the repository, {S3rverProcess.PathVariable} or on PATH): {LocalS3Settings.InstallHint}";

    private static bool OnPath(string name) => Kubernetes.ExternalCommand.Find(name) is not null;

    private static Dictionary<string, string?> Environment(string scratch)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["APPDATA"] = Directory.CreateDirectory(Path.Combine(scratch, "appdata")).FullName,
            [Matrix.Stack.Cli.Registration.AppHostUserSecrets.SecretsFileVariable] = Path.Combine(scratch, "aspire-secrets", "Development.json"),
            ["XDG_DATA_HOME"] = Directory.CreateDirectory(Path.Combine(scratch, "share")).FullName,
            ["CONTAINERS_CONF"] = null,
            ["ASPIRE_SUPPRESS_CLI_RUN_HOOK"] = null,
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        // The test host runs under `dotnet test`, whose MSBuild variables would steer the command's own build.
        foreach (var name in System.Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(n => n.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)))
        {
            environment[name] = null;
        }
        if (!File.Exists(Path.Combine(AppHostPaths.Root, LocalS3Settings.InstalledPath))
            && System.Environment.GetEnvironmentVariable(S3rverProcess.PathVariable) is { Length: > 0 } s3rver)
        {
            environment["PATH"] = Path.GetDirectoryName(s3rver) + Path.PathSeparator + System.Environment.GetEnvironmentVariable("PATH");
        }
        return environment;
    }

    private static bool Taken(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    private static async Task WaitForRouterAsync(ProcessGroup group, Uri router, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(RouterWait);
        var last = "no answer yet";
        while (true)
        {
            if (group.HasExited && await group.WaitForExitAsync(TimeSpan.FromSeconds(30)))
            {
                Assert.Fail($"`dotnet run` exited ({group.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "code not known"}) before the router answered at {router}; its last lines:{System.Environment.NewLine}{group.Tail}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri(router, "/_matrix/client/versions"), wait.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
                last = $"{(int)response.StatusCode} {response.ReasonPhrase}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            catch (TaskCanceledException) when (!wait.IsCancellationRequested)
            {
                last = "no answer within 10 s";
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                break;
            }
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(3), wait.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                break;
            }
        }
        Assert.Fail($"the router did not answer at {router} within {RouterWait.TotalMinutes} minutes (last: {last}); the run's last lines:{System.Environment.NewLine}{group.Tail}");
    }

    /// <summary>
    /// The media janitor of this run, pointed at s3rver, answers its /health with 200: the last resource to become
    /// healthy in README's route (it waits for s3rver and Synapse). Found as the process the run's orchestrator started,
    /// its /health address and S3 endpoint read from its environment (never printed: it also holds credentials).
    /// </summary>
    private static async Task WaitForHealthyJanitorAsync(ProcessGroup group, CancellationToken ct)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(RouterWait);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var last = "the janitor's process has not started";
        while (!wait.IsCancellationRequested)
        {
            var janitor = (await Podman.ProcessesOfGroupAsync(group.Id, "Matrix.MediaJanitor", ct)).FirstOrDefault();
            var environment = janitor == 0 ? null : ProcessEnvironment(janitor);
            if (environment is not null)
            {
                var s3 = environment.GetValueOrDefault("Janitor__S3__ServiceUrl") ?? "";
                Assert.True(s3.StartsWith("http://localhost:", StringComparison.Ordinal) || s3.StartsWith("http://127.0.0.1:", StringComparison.Ordinal),
                    $"the janitor's S3 endpoint is not the local s3rver: '{s3}'");
                // Aspire hands a project its listening address as ASPNETCORE_URLS (or HTTP_PORTS).
                var url = environment.GetValueOrDefault("ASPNETCORE_URLS")?.Split(';')[0]
                    ?? (environment.GetValueOrDefault("HTTP_PORTS") is { } ports ? $"http://localhost:{ports.Split(';')[0]}" : null);
                try
                {
                    using var response = await http.GetAsync($"{url}/health", wait.Token);
                    var body = await response.Content.ReadAsStringAsync(wait.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        TestContext.Current.SendDiagnosticMessage($"the media janitor is healthy with S3 at {s3}: {body}");
                        return;
                    }
                    last = $"{(int)response.StatusCode}: {body}";
                }
                catch (Exception e) when (e is HttpRequestException or InvalidOperationException || (e is TaskCanceledException && !wait.IsCancellationRequested))
                {
                    last = e.Message;
                }
            }
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(3), wait.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
            }
        }
        Assert.Fail($"the media janitor did not become healthy within {RouterWait.TotalMinutes} minutes (last: {last})");
    }

    private static Dictionary<string, string>? ProcessEnvironment(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries)
                .Select(entry => entry.Split('=', 2)).Where(pair => pair.Length == 2)
                .GroupBy(pair => pair[0]).ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static async Task<(int Code, string Output)> RunToEndAsync(string commandLine, IReadOnlyDictionary<string, string?> environment, CancellationToken ct)
    {
        await using var command = ProcessGroup.Start(commandLine, AppHostPaths.Root, environment);
        Assert.True(await command.WaitForExitAsync(TimeSpan.FromMinutes(10)), $"`{commandLine}` did not end within 10 minutes:{System.Environment.NewLine}{command.Tail}");
        return (command.ExitCode ?? -1, command.Output);
    }

    // DCP removes the containers as the AppHost stops them; on a loaded machine that can trail the AppHost's exit.
    private static async Task<IReadOnlyList<string>> WaitUntilGoneAsync(IReadOnlyList<string> containers, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var left = containers.Intersect(await Podman.ContainerIdsAsync(ct)).ToList();
            if (left.Count == 0 || DateTime.UtcNow > deadline)
            {
                return left;
            }
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
        }
    }
}
