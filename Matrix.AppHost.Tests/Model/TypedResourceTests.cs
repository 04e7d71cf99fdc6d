using Matrix.AppHost.Authentication;
using Matrix.AppHost.Calls;
using Matrix.AppHost.Clients;
using Matrix.AppHost.Configuration;
using Matrix.AppHost.Media;
using Matrix.AppHost.Tests.Infrastructure;
using Matrix.Stack.Validation;
using Matrix.Stack.Wiring;

namespace Matrix.AppHost.Tests.Model;

/// <summary>
/// The stack's components are resources of their own types (as Aspire.Hosting.PostgreSQL's), named as the wiring
/// model names them, with their endpoints as properties; a builder given another name refuses, naming both.
/// </summary>
public sealed class TypedResourceTests
{
    [Fact]
    public async Task EveryComponentIsItsOwnResourceTypeNamedAsTheWiringModelSays()
    {
        await using var builder = await AppHostFactory.CreateAsync("full",
            "--Matrix:Settings:mas.enabled=true", "--Matrix:Settings:mas.publicBaseUrl=https://auth.example.org/", "--Matrix:Settings:mas.host=auth-service");

        Assert.Equal("http", builder.Get<MasResource>("auth-service").HttpEndpoint.EndpointName);
        Assert.Equal("health", builder.Get<MasResource>("auth-service").HealthEndpoint.EndpointName);
        Assert.Equal("turn-udp", builder.Get<CoturnResource>(ComponentNames.Coturn).TurnUdpEndpoint.EndpointName);
        Assert.Equal("rtc-tcp", builder.Get<LiveKitResource>(ComponentNames.LiveKit).RtcTcpEndpoint.EndpointName);
        Assert.Equal("http", builder.Get<LiveKitJwtServiceResource>(ComponentNames.LiveKitJwtService).HttpEndpoint.EndpointName);
        Assert.Equal("console", builder.Get<MinIOResource>(ComponentNames.MinIO).ConsoleEndpoint.EndpointName);
        Assert.Equal("http", builder.Get<ElementWebResource>(ComponentNames.ElementWeb).HttpEndpoint.EndpointName);
        Assert.Equal("http", builder.Get<SynapseAdminResource>(ComponentNames.SynapseAdmin).HttpEndpoint.EndpointName);
        // The router reaches MAS under the name mas.host gives it, which is also MAS's resource.
        var router = await builder.Get<ProjectResource>("router").EnvironmentAsync(builder.ExecutionContext);
        var masPool = Assert.IsType<EndpointReference>(router["Router__Pools__mas__auth_service"]);
        Assert.Equal("auth-service", masPool.Resource.Name);
    }

    [Fact]
    public void ABuilderGivenAnotherNameThanTheStacksRefusesNamingBoth()
    {
        var builder = DistributedApplication.CreateBuilder(
            ["--Matrix:Preset=full", "--Matrix:Settings:mas.enabled=true", "--Matrix:Settings:mas.publicBaseUrl=https://auth.example.org/",
             .. AppHostFactory.SecretParameterNames().Select(p => $"--Parameters:{p}={AppHostFactory.SecretValue(p)}")]);
        var stack = builder.AddMatrixStack();
        var database = builder.AddPostgres("postgres").AddDatabase("synapse");

        var mas = Assert.Throws<StackValidationException>(() => builder.AddMas("authentication", stack, database));
        Assert.Contains("mas.host", mas.Message, StringComparison.Ordinal);
        Assert.Contains("'authentication'", mas.Message, StringComparison.Ordinal);
        Assert.Contains("'mas'", mas.Message, StringComparison.Ordinal);

        var coturn = Assert.Throws<StackValidationException>(() => builder.AddCoturn("turn", stack));
        Assert.Contains("'turn'", coturn.Message, StringComparison.Ordinal);
        Assert.Contains("'coturn'", coturn.Message, StringComparison.Ordinal);
    }
}
