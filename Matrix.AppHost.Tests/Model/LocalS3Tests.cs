using Matrix.AppHost.Media;
using Matrix.AppHost.Tests.Infrastructure;
using Matrix.Stack.Model;
using Matrix.Stack.Presets;
using Matrix.Stack.Validation;
using Microsoft.Extensions.Configuration;

namespace Matrix.AppHost.Tests.Model;

/// <summary>
/// <c>Matrix:LocalS3:Enabled</c>: s3rver as an executable resource in place of MinIO, serving the janitor, and every
/// reason it cannot be used named as a problem before anything starts.
/// </summary>
public sealed class LocalS3Tests
{
    private static readonly string[] LocalS3Arguments = ["--Matrix:LocalS3:Enabled=true", "--Matrix:Settings:s3.synapseStorageProvider=false"];

    [Fact]
    public async Task S3rverTakesMinIOsPlaceAndTheJanitorIsWiredToItsEndpointAndKeys()
    {
        var command = FakeCommand();
        try
        {
            await using var builder = await AppHostFactory.CreateAsync(StackPresets.Monolith, [.. LocalS3Arguments, $"--{LocalS3Settings.CommandKey}={command}"]);
            Assert.DoesNotContain(builder.Resources, r => r.Name is MediaStorageExtensions.MinIOResourceName or MediaStorageExtensions.BucketCreationResourceName);

            var s3rver = builder.Get<S3rverResource>(LocalS3Extensions.ResourceName);
            Assert.Equal(command, s3rver.Command);
            var dataFolder = Path.Combine(MediaStorageExtensions.LocalDataFolder(Path.Combine(AppHostPaths.Root, "Matrix.AppHost")), "s3rver");
            Assert.Equal(dataFolder, s3rver.WorkingDirectory);
            Assert.True(Directory.Exists(dataFolder), $"{dataFolder} was not created");
            var arguments = await s3rver.DeclaredArgumentsAsync();
            Assert.Equal(["-d", dataFolder, "-a", "127.0.0.1", "-p"], arguments.Take(5));
            var port = Assert.IsType<EndpointReferenceExpression>(arguments[5]);
            Assert.Equal((S3rverResource.HttpEndpointName, EndpointProperty.TargetPort), (port.Endpoint.EndpointName, port.Property));
            Assert.Same(s3rver, port.Endpoint.Resource);
            Assert.Equal(["--configure-bucket", new S3MediaOptions().Bucket, "--silent"], arguments.Skip(6));
            Assert.Contains(s3rver.Annotations.OfType<HealthCheckAnnotation>(), _ => true);
            Assert.Contains(s3rver.Annotations.OfType<ManifestPublishingCallbackAnnotation>(), a => a.Callback is null);

            var janitor = builder.Get<ProjectResource>(MediaJanitorExtensions.ResourceName);
            var environment = await janitor.EnvironmentAsync(builder.ExecutionContext);
            var url = Assert.IsType<EndpointReference>(environment["Janitor__S3__ServiceUrl"]);
            Assert.Same(s3rver, url.Resource);
            // s3rver's own fixed keys, plain values (the wiring model's literals), not the stack's S3 secrets.
            Assert.Equal(Matrix.Stack.Wiring.MediaJanitorWiring.S3rverKey, environment["Janitor__S3__AccessKeyId"]);
            Assert.Equal(Matrix.Stack.Wiring.MediaJanitorWiring.S3rverKey, environment["Janitor__S3__SecretAccessKey"]);
            Assert.Contains(LocalS3Extensions.ResourceName, janitor.WaitsFor());
        }
        finally
        {
            File.Delete(command);
        }
    }

    [Fact]
    public async Task WithoutTheSettingThereIsNoS3rver()
    {
        await using var builder = await AppHostFactory.CreateAsync(StackPresets.Monolith);
        Assert.Empty(builder.Resources.OfType<S3rverResource>());
        Assert.Contains(builder.Resources, r => r.Name == MediaStorageExtensions.MinIOResourceName);
    }

    [Fact]
    public async Task TheAppHostRefusesWhatS3rverCannotServeInOneListNamingEachSetting()
    {
        var result = await AppHostProcess.RunAsync($"--Matrix:Preset={StackPresets.Monolith}", "--Matrix:LocalS3:Enabled=true",
            "--Matrix:Settings:s3.endpoint=https://s3.example.org", "--Matrix:LocalS3:Command=/nonexistent/s3rver");
        AppHostProcess.AssertRefused(result,
            "Matrix:LocalS3:Enabled: s3rver takes the place of the stack's own MinIO, but s3.endpoint names another server ('https://s3.example.org')",
            "s3.synapseStorageProvider: must be false with Matrix:LocalS3:Enabled=true",
            "Matrix:LocalS3:Command: '/nonexistent/s3rver' is not an s3rver executable",
            "npm install --prefix .tools s3rver@3.7.1");
    }

    [Theory]
    [InlineData("yes", "Matrix:LocalS3:Enabled: 'yes' is not true or false")]
    [InlineData("true", "Matrix:LocalS3:Enabled: s3rver is a stand-in for local runs and is never published")]
    public void PublishingAndANonBooleanAreRefused(string value, string expected)
    {
        var problems = Read(new() { [LocalS3Settings.EnabledKey] = value }, Path.GetTempPath(), publishing: true);
        Assert.Equal([expected], problems.Select(p => p.ToString()[..expected.Length]));
    }

    [Fact]
    public void S3OffLeavesNothingToServe()
    {
        var command = FakeCommand();
        try
        {
            var problems = Read(new() { [LocalS3Settings.EnabledKey] = "true", [LocalS3Settings.CommandKey] = command }, Path.GetTempPath(),
                s3: new S3MediaOptions { Enabled = false });
            Assert.Equal(["Matrix:LocalS3:Enabled: S3 media is off (s3.enabled=false): there is nothing for s3rver to serve"], problems.Select(p => p.ToString()));
        }
        finally
        {
            File.Delete(command);
        }
    }

    [Fact]
    public void AMissingS3rverNamesTheSettingAndWhatToInstall()
    {
        Assert.SkipWhen((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(folder => File.Exists(Path.Combine(folder, "s3rver"))),
            "s3rver is on PATH here, so the lookup finds it");
        var checkout = Directory.CreateTempSubdirectory("matrix-checkout-").FullName;
        try
        {
            var problems = Read(new() { [LocalS3Settings.EnabledKey] = "true" }, Path.Combine(checkout, "Matrix.AppHost"));
            var problem = Assert.Single(problems);
            Assert.Equal(LocalS3Settings.EnabledKey, problem.Setting);
            Assert.Contains($"neither {Path.Combine(checkout, ".tools/node_modules/.bin/s3rver")} nor `s3rver` on PATH exists", problem.Message, StringComparison.Ordinal);
            Assert.Contains("npm install --prefix .tools s3rver@3.7.1", problem.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(checkout, recursive: true);
        }
    }

    private static List<ValidationProblem> Read(Dictionary<string, string?> settings, string appHostDirectory, bool publishing = false, S3MediaOptions? s3 = null)
    {
        var problems = new List<ValidationProblem>();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        LocalS3Settings.Read(configuration, appHostDirectory, s3 ?? new S3MediaOptions { SynapseStorageProvider = false }, publishing, problems);
        return problems;
    }

    // The model only needs the executable to exist; running it is DocumentedRunTests' and S3rverResourceTests' part.
    private static string FakeCommand()
    {
        var path = Path.Combine(Path.GetTempPath(), $"s3rver-{Guid.NewGuid():N}");
        File.WriteAllText(path, "#!/bin/sh\n");
        return path;
    }
}
