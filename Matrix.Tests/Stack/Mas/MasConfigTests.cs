using System.Text.Json.Nodes;
using Matrix.Stack.ElementWeb;
using Matrix.Stack.Mas;
using Matrix.Stack.Presets;
using Matrix.Stack.Rendering;
using Matrix.Stack.Secrets;
using Matrix.Stack.WellKnown;
using Matrix.Tests.Stack.Synapse;

namespace Matrix.Tests.Stack.Mas;

/// <summary>MAS's config.yaml and Synapse's side of the integration, rendered and read back, against both programs' schemas.</summary>
public class MasConfigTests
{
    public static TheoryData<string> Presets => new(StackPresets.Names);

    [Theory]
    [MemberData(nameof(Presets))]
    public void MasConfigValidatesAgainstMasSchema(string preset)
    {
        var rendered = RenderedMas.Of(preset);
        var errors = MasConfigSchema.Errors(rendered.Mas);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        // MAS ignores unknown sections: a misspelt one must fail here instead.
        Assert.Empty(rendered.Mas.Select(p => p.Key).Except(MasConfigSchema.TopLevelProperties()));
    }

    [Fact]
    public void TheSchemaCheckCatchesABrokenConfig()
    {
        var rendered = RenderedMas.Of(StackPresets.Monolith);
        var broken = (JsonObject)rendered.Mas.DeepClone();
        broken["clients"]![0]!["client_id"] = "not-a-ulid";
        broken["http"]!["listeners"]![1]!["binds"]![0] = new JsonObject { ["port"] = 70000 };
        var errors = MasConfigSchema.Errors(broken);
        Assert.Contains(errors, e => e.StartsWith("/clients/0/client_id", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("/http/listeners/1/binds/0", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void SynapseFilesWithMasStillValidateAgainstSynapseSchema(string preset)
    {
        var rendered = RenderedSynapse.Of(RenderedMas.OptionsFor(preset));
        var validator = SynapseConfigSchema.WithOverlaysValidator();
        var errors = validator.Validate(rendered.Homeserver)
            .Concat(rendered.Workers.Keys.SelectMany(w => validator.Validate(rendered.Merged(w))))
            .ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void SharedSecretIsOneFileBothRead()
    {
        var rendered = RenderedMas.Of(StackPresets.Monolith);
        var masPath = (string)rendered.Mas["matrix"]!["secret_file"]!;
        var synapsePath = (string)rendered.Homeserver[MasSynapseConfig.SectionName]!["secret_path"]!;

        Assert.Equal(masPath, synapsePath);
        Assert.Equal(rendered.Secrets.Reveal(SecretName.MasSharedSecret), rendered.SecretFileBehind(masPath));
        Assert.Null(rendered.Mas["matrix"]!["secret"]);
        Assert.Null(rendered.Homeserver[MasSynapseConfig.SectionName]!["secret"]);
    }

    [Fact]
    public void HomeserverNameAndEndpointsAgree()
    {
        var rendered = RenderedMas.Of(StackPresets.Specialized);
        Assert.Equal((string)rendered.Homeserver["server_name"]!, (string)rendered.Mas["matrix"]!["homeserver"]!);
        Assert.Equal("synapse", (string)rendered.Mas["matrix"]!["kind"]!);

        // Synapse calls MAS on MAS's web listener, which must mount discovery and oauth (Synapse's schema says so).
        var endpoint = new Uri((string)rendered.Homeserver[MasSynapseConfig.SectionName]!["endpoint"]!);
        Assert.Equal(rendered.Options.Mas.Host, endpoint.Host);
        var web = rendered.Mas["http"]!["listeners"]!.AsArray().Single(l => (string)l!["name"]! == MasConfig.WebListener)!;
        Assert.Equal($"[::]:{endpoint.Port}", (string)web["binds"]![0]!["address"]!);
        var resources = web["resources"]!.AsArray().Select(r => (string)r!["name"]!).ToList();
        Assert.Contains("discovery", resources);
        Assert.Contains("oauth", resources);
        Assert.Contains("compat", resources);

        // MAS calls Synapse on main's client listener (no mas-helper in this layout).
        var masToSynapse = new Uri((string)rendered.Mas["matrix"]!["endpoint"]!);
        Assert.Equal("synapse-main", masToSynapse.Host);
        var mainClientPorts = rendered.Homeserver["listeners"]!.AsArray()
            .Where(l => l!["resources"]!.AsArray().Any(r => r!["names"]!.AsArray().Any(n => (string)n! == "client")))
            .Select(l => (long)l!["port"]!);
        Assert.Contains((long)masToSynapse.Port, mainClientPorts);

        // The issuer clients are told about is MAS's public base.
        Assert.Equal(RenderedMas.PublicBase, (string)rendered.Mas["http"]!["public_base"]!);
    }

    [Fact]
    public void MasCallsTheMasHelperWorkerWhenTheLayoutHasOne()
    {
        var rendered = RenderedMas.Of(StackPresets.Specialized, "workers.mas-helper=2");
        var masToSynapse = new Uri((string)rendered.Mas["matrix"]!["endpoint"]!);
        Assert.Equal("synapse-mas-helper-1", masToSynapse.Host);
    }

    [Fact]
    public void HealthHasAListenerOfItsOwn()
    {
        var rendered = RenderedMas.Of(StackPresets.Monolith);
        var health = rendered.Mas["http"]!["listeners"]!.AsArray().Single(l => (string)l!["name"]! == MasConfig.HealthListener)!;
        Assert.Equal(["health"], health["resources"]!.AsArray().Select(r => (string)r!["name"]!));
        Assert.Equal($"[::]:{rendered.Options.Mas.HealthPort}", (string)health["binds"]![0]!["address"]!);
    }

    [Fact]
    public void ClientIdsAreUlidsStableForAServerName()
    {
        var first = RenderedMas.Of(StackPresets.Monolith);
        var again = RenderedMas.Of(StackPresets.Monolith);
        var ids = first.Mas["clients"]!.AsArray().Select(c => (string)c!["client_id"]!).ToList();

        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.True(MasClientIds.IsUlid(id), $"{id} is not a ULID"));
        Assert.Equal(ids, again.Mas["clients"]!.AsArray().Select(c => (string)c!["client_id"]!));
        Assert.NotEqual(MasClientIds.Admin("example.org"), MasClientIds.Admin("example.com"));
        Assert.False(MasClientIds.IsUlid("8ZZZZZZZZZZZZZZZZZZZZZZZZZ"), "a first digit above 7 overflows 128 bits");
        Assert.False(MasClientIds.IsUlid("01ARZ3NDEKTSV4RRFFQ69G5FAI"), "I is not Crockford base32");
    }

    [Fact]
    public void EverySecretOfMasIsAFileWithTheSecretsValue()
    {
        var rendered = RenderedMas.Of(StackPresets.Monolith);
        var mas = rendered.Mas;
        Assert.Equal(rendered.Secrets.Reveal(SecretName.MasEncryptionKey), rendered.SecretFileBehind((string)mas["secrets"]!["encryption_file"]!));
        Assert.Equal(
            [rendered.Secrets.Reveal(SecretName.MasSigningKeyRsa), rendered.Secrets.Reveal(SecretName.MasSigningKeyEc)],
            mas["secrets"]!["keys"]!.AsArray().Select(k => rendered.SecretFileBehind((string)k!["key_file"]!)));
        Assert.Equal(rendered.Secrets.Reveal(SecretName.MasAdminClientSecret), rendered.SecretFileBehind((string)mas["clients"]![0]!["client_secret_file"]!));
        // On the deployment's own server MAS logs in as Synapse's database user.
        Assert.Equal(rendered.Secrets.Reveal(SecretName.PostgresPassword), rendered.SecretFileBehind((string)mas["database"]!["password_file"]!));
        Assert.Equal("mas", (string)mas["database"]!["database"]!);
        Assert.Equal((string)rendered.Homeserver["database"]!["args"]!["host"]!, (string)mas["database"]!["host"]!);
    }

    [Fact]
    public void AnExternalDatabaseHasItsOwnPasswordSecret()
    {
        var rendered = RenderedMas.Of(StackPresets.Monolith, "mas.database.host=db.example.org", "mas.database.port=6432", "mas.database.user=mas_owner");
        var database = rendered.Mas["database"]!;
        Assert.Equal("db.example.org", (string)database["host"]!);
        Assert.Equal(6432L, (long)database["port"]!);
        Assert.Equal("mas_owner", (string)database["username"]!);
        Assert.Equal(rendered.Secrets.Reveal(SecretName.MasDatabasePassword), rendered.SecretFileBehind((string)database["password_file"]!));
        Assert.Contains(SecretName.MasDatabasePassword, SecretName.RequiredFor(rendered.Options));
        Assert.DoesNotContain(SecretName.MasDatabasePassword, SecretName.RequiredFor(RenderedMas.OptionsFor(StackPresets.Monolith)));
    }

    [Fact]
    public void NoConfigFileHoldsASecretValue()
    {
        var rendered = RenderedMas.Of(StackPresets.Large);
        var leaks = rendered.Files.Where(f => f.Kind == RenderedFileKind.Config)
            .SelectMany(f => rendered.Secrets.Names.Where(n => f.Content.Contains(rendered.Secrets.Reveal(n), StringComparison.Ordinal)).Select(n => $"{f.Path}: {n}"))
            .ToList();
        Assert.Empty(leaks);
        // And the configuration-only rendering (Aspire, Kubernetes) renders MAS without any secret.
        Assert.Contains(StackRenderer.RenderConfiguration(rendered.Options), f => f.Path == MasPaths.RenderedConfig);
    }

    [Fact]
    public void SynapseDelegatesToMasThroughTheStableSectionOnly()
    {
        var rendered = RenderedMas.Of(StackPresets.Large);
        var homeserverText = rendered.File("synapse/homeserver.yaml").Content;

        Assert.True((bool)rendered.Homeserver[MasSynapseConfig.SectionName]!["enabled"]!);
        Assert.DoesNotContain("msc3861", homeserverText, StringComparison.Ordinal);
        Assert.Null(rendered.Homeserver["experimental_features"]);
        Assert.False((bool)rendered.Homeserver["password_config"]!["enabled"]!);
        Assert.False((bool)rendered.Homeserver["enable_registration"]!);
        Assert.All(rendered.Files.Where(f => f.Path.StartsWith("synapse/", StringComparison.Ordinal)),
            f => Assert.DoesNotContain("msc3861", f.Content, StringComparison.Ordinal));
    }

    [Fact]
    public void WithoutMasNothingChangesInSynapse()
    {
        var rendered = RenderedSynapse.Of(StackPresets.Monolith);
        Assert.Null(rendered.Homeserver[MasSynapseConfig.SectionName]);
        Assert.Null(rendered.Homeserver["password_config"]);
        Assert.DoesNotContain(rendered.Files, f => f.Component == MasPaths.Folder);
    }

    [Fact]
    public void ClientsDiscoverMasInTheWellKnownAndElementWeb()
    {
        var rendered = RenderedMas.Of(StackPresets.Monolith, "elementWeb.enabled=true");
        var wellKnown = JsonNode.Parse(rendered.File(WellKnownRenderer.ClientPath).Content)!;
        var element = JsonNode.Parse(rendered.File(ElementWebConfigRenderer.ConfigPath).Content)!["default_server_config"]!;

        foreach (var document in new[] { wellKnown, element })
        {
            var authentication = document[ClientWellKnown.AuthenticationKey]!;
            Assert.Equal((string)rendered.Mas["http"]!["public_base"]!, (string)authentication["issuer"]!);
            Assert.Equal(RenderedMas.PublicBase + "account/", (string)authentication["account"]!);
        }

        var withoutMas = ComponentFilesWithoutMas();
        Assert.Null(JsonNode.Parse(withoutMas)![ClientWellKnown.AuthenticationKey]);
    }

    private static string ComponentFilesWithoutMas() =>
        StackRenderer.Render(StackPresets.Create(StackPresets.Monolith), StackSecretsFixture.All())
            .Single(f => f.Path == WellKnownRenderer.ClientPath).Content;
}
