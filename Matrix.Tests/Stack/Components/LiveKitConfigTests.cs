using Matrix.Stack.LiveKit;
using Matrix.Stack.Rendering;
using Matrix.Stack.Secrets;
using YamlDotNet.RepresentationModel;

namespace Matrix.Tests.Stack.Components;

/// <summary>LiveKit's <c>config.yaml</c> and key file, and lk-jwt-service's environment file.</summary>
public class LiveKitConfigTests
{
    [Fact]
    public void ServerConfigTakesPortsAndItsOwnRedisFromTheOptions()
    {
        var config = ComponentFiles.Render(o =>
        {
            o.LiveKit.HttpPort = 7890;
            o.LiveKit.RtcTcpPort = 7891;
            o.LiveKit.RtcUdpPortStart = 51000;
            o.LiveKit.RtcUdpPortEnd = 51999;
            o.LiveKit.RedisHost = "rtc-redis";
            o.LiveKit.RedisPort = 6380;
        }).Single(LiveKitConfigRenderer.ConfigPath).Yaml();

        Assert.Equal("7890", config.Scalar("port"));
        Assert.Equal("7891", config.Scalar("rtc.tcp_port"));
        Assert.Equal("51000", config.Scalar("rtc.port_range_start"));
        Assert.Equal("51999", config.Scalar("rtc.port_range_end"));
        Assert.Equal("rtc-redis:6380", config.Scalar("redis.address"));
        Assert.Equal("false", config.Scalar("room.auto_create"));
    }

    [Fact]
    public void RedisIsNeverSynapses()
    {
        var options = ComponentFiles.Options();
        var config = ComponentFiles.Render(options).Single(LiveKitConfigRenderer.ConfigPath).Yaml();

        Assert.NotEqual($"{options.Redis.Host}:{options.Redis.Port}", config.Scalar("redis.address"));
    }

    [Fact]
    public void KeysLiveOnlyInTheKeyFileThatConfigPointsAt()
    {
        var secrets = ComponentFiles.DistinctSecrets();
        var files = ComponentFiles.Render(secrets: secrets);
        var configFile = files.Single(LiveKitConfigRenderer.ConfigPath);
        var config = configFile.Yaml();
        var keysFile = files.Single(LiveKitConfigRenderer.KeysPath);

        Assert.Equal($"{LiveKitConfigRenderer.ContainerConfigDirectory}/keys.yaml", config.Scalar("key_file"));
        Assert.Equal(LiveKitConfigRenderer.KeysPath, "livekit/" + Path.GetFileName(config.Scalar("key_file")));
        Assert.False(config.Children.ContainsKey(new YamlScalarNode("keys")));
        Assert.Equal(RenderedFileKind.Config, configFile.Kind);
        Assert.Equal(RenderedFileKind.Secret, keysFile.Kind);
        var pair = Assert.Single(keysFile.Yaml().Children);
        Assert.Equal(secrets.Reveal(SecretName.LiveKitApiKey), ((YamlScalarNode)pair.Key).Value);
        Assert.Equal(secrets.Reveal(SecretName.LiveKitApiSecret), ((YamlScalarNode)pair.Value).Value);
    }

    [Fact]
    public void KeyFileKeepsAnyCharactersOfTheKeyAndSecret()
    {
        var values = SecretName.All.ToDictionary(name => name, name => name switch
        {
            SecretName.LiveKitApiKey => "API: key # not a comment",
            SecretName.LiveKitApiSecret => "\"quoted\": {not: a map} & *not-an-alias 'x' \\ ünïcode",
            SecretName.SigningKey => TestSigningKey.Value,
            _ => $"ok-{name}",
        });

        var keys = ComponentFiles.Render(secrets: new StackSecrets(values)).Single(LiveKitConfigRenderer.KeysPath).Yaml();

        var pair = Assert.Single(keys.Children);
        Assert.Equal(values[SecretName.LiveKitApiKey], ((YamlScalarNode)pair.Key).Value);
        Assert.Equal(values[SecretName.LiveKitApiSecret], ((YamlScalarNode)pair.Value).Value);
    }

    [Theory]
    [InlineData("matrix.localhost", null, "false")]
    [InlineData("example.org", null, "true")]
    [InlineData("example.org", "ws://127.0.0.1:7880", "false")]
    [InlineData("example.org", "wss://sfu.example.org", "true")]
    public void DiscoversItsExternalAddressOnlyWhenNotLocal(string serverName, string? publicUrl, string expected)
    {
        var config = ComponentFiles.Render(o =>
        {
            o.ServerName = serverName;
            o.LiveKit.PublicUrl = publicUrl;
        }).Single(LiveKitConfigRenderer.ConfigPath).Yaml();

        Assert.Equal(expected, config.Scalar("rtc.use_external_ip"));
    }

    [Fact]
    public void JwtServiceEnvironmentReadsKeysFromTheSecretFiles()
    {
        var files = ComponentFiles.Render(o =>
        {
            o.ServerName = "example.org";
            o.LiveKit.JwtServicePort = 8090;
            o.Synapse.SecretsDirectory = "/run/secrets/stack/";
        });
        var environmentFile = files.Single(LiveKitConfigRenderer.JwtServiceEnvironmentPath);
        var environment = ParseEnvironment(environmentFile);

        Assert.Equal(RenderedFileKind.Config, environmentFile.Kind);
        Assert.Equal("wss://livekit.example.org", environment["LIVEKIT_URL"]);
        Assert.Equal(":8090", environment["LIVEKIT_JWT_BIND"]);
        Assert.Equal("example.org", environment["LIVEKIT_FULL_ACCESS_HOMESERVERS"]);
        Assert.False(environment.ContainsKey("LIVEKIT_KEY"));
        Assert.False(environment.ContainsKey("LIVEKIT_SECRET"));
        // Each *_FROM_FILE names a secret file this render wrote, by the name it has in the secrets folder.
        Assert.Equal($"/run/secrets/stack/{SecretName.LiveKitApiKey}", environment["LIVEKIT_KEY_FROM_FILE"]);
        Assert.Equal($"/run/secrets/stack/{SecretName.LiveKitApiSecret}", environment["LIVEKIT_SECRET_FROM_FILE"]);
        foreach (var variable in new[] { "LIVEKIT_KEY_FROM_FILE", "LIVEKIT_SECRET_FROM_FILE" })
        {
            var secretFile = files.Single($"{SecretFilesRenderer.Folder}/{Path.GetFileName(environment[variable])}");
            Assert.Equal(RenderedFileKind.Secret, secretFile.Kind);
        }
    }

    [Fact]
    public void JwtServiceVariablesAreTheEnvironmentFile()
    {
        // Hosts that set variables one by one (the AppHost) use the list; the file is written from it.
        var options = ComponentFiles.Options(o => o.ServerName = "example.org:8448");
        var file = ComponentFiles.Render(options).Single(LiveKitConfigRenderer.JwtServiceEnvironmentPath);

        var variables = LiveKitConfigRenderer.JwtServiceVariables(options);

        Assert.Equal(ParseEnvironment(file), variables.ToDictionary(v => v.Key, v => v.Value));
        Assert.Equal(["LIVEKIT_URL", "LIVEKIT_KEY_FROM_FILE", "LIVEKIT_SECRET_FROM_FILE", "LIVEKIT_JWT_BIND", "LIVEKIT_FULL_ACCESS_HOMESERVERS"], variables.Select(v => v.Key));
        // A port in the server name stays out of the derived SFU host.
        Assert.Equal("wss://livekit.example.org", variables[0].Value);
    }

    [Fact]
    public void JwtServiceUsesTheConfiguredSfuUrl()
    {
        var environment = ParseEnvironment(ComponentFiles.Render(o => o.LiveKit.PublicUrl = "wss://rtc.example.org/livekit/sfu/")
            .Single(LiveKitConfigRenderer.JwtServiceEnvironmentPath));

        Assert.Equal("wss://rtc.example.org/livekit/sfu", environment["LIVEKIT_URL"]);
    }

    [Fact]
    public void DisabledLiveKitRendersNothing()
    {
        var files = ComponentFiles.Render(o => o.LiveKit.Enabled = false);

        Assert.DoesNotContain(files, f => f.Component is "livekit" or "lk-jwt-service");
    }

    private static Dictionary<string, string> ParseEnvironment(RenderedFile file) =>
        file.Content.Split('\n')
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(parts => parts[0], parts => parts[1]);
}
