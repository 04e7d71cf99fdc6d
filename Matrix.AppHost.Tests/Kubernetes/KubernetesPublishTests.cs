using System.Text.RegularExpressions;
using k8s.Models;
using Matrix.AppHost.Kubernetes;
using Matrix.AppHost.Secrets;
using Matrix.AppHost.Tests.Infrastructure;
using Matrix.AppHost.Tests.Publishing;
using Matrix.Stack.Catalog;
using Matrix.Stack.Layout;
using Matrix.Stack.Presets;
using Matrix.Stack.Secrets;
using Microsoft.Extensions.DependencyInjection;

namespace Matrix.AppHost.Tests.Kubernetes;

/// <summary>
/// Publishes every preset through the real <c>publish-kubernetes</c> step and checks the folder as a cluster would:
/// upstream schemas (kubernetes-models), <c>kubectl kustomize</c>, and the cross-object references a cluster only
/// reports once pods fail (Service selectors and ports, mounted keys, host names in Synapse's files, budgets).
/// </summary>
public sealed partial class KubernetesPublishTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("matrix-k8s-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    /// <summary>Every preset as published by default, and the committed preset with MAS on (<see cref="WithMas"/>).</summary>
    public static TheoryData<string> Presets => new([.. StackPresets.Names, Publisher.Preset + WithMas]);

    /// <summary>A variant suffix: the preset published with <see cref="MasSettings"/>.</summary>
    private const string WithMas = "+mas";

    private const string MasPublicBaseUrl = "https://auth.example.org/";

    private static readonly string[] MasSettings = ["--Matrix:Settings:mas.enabled=true", $"--Matrix:Settings:mas.publicBaseUrl={MasPublicBaseUrl}"];

    private static string PresetOf(string variant) => variant.EndsWith(WithMas, StringComparison.Ordinal) ? variant[..^WithMas.Length] : variant;

    /// <summary>The stack options the variant is published with.</summary>
    private static Matrix.Stack.Model.StackOptions OptionsOf(string variant)
    {
        var options = StackPresets.Create(PresetOf(variant));
        if (variant.EndsWith(WithMas, StringComparison.Ordinal))
        {
            options.Mas.Enabled = true;
            options.Mas.PublicBaseUrl = MasPublicBaseUrl;
        }
        return options;
    }

    private async Task<KubernetesOutput> PublishAsync(string variant, params string[] settings) =>
        KubernetesOutput.Load(await Publisher.PublishKubernetesAsync(Path.Combine(_work, "out"), PresetOf(variant),
            [.. variant.EndsWith(WithMas, StringComparison.Ordinal) ? MasSettings : [], .. settings]));

    [Theory]
    [MemberData(nameof(Presets))]
    public async Task EveryObjectValidatesAgainstTheKubernetesSchemas(string preset)
    {
        var output = await PublishAsync(preset);

        var result = await KubernetesSchemaValidator.ValidateAsync(output.Objects, _work);

        Assert.True(result.ExitCode == 0, $"kubernetes-models rejected objects of {preset}:{Environment.NewLine}{result.Output}{result.Error}");
        Assert.Equal(output.Objects.Count, result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(line => line.StartsWith("ok ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task TheSchemaValidatorRejectsWhatAClusterWould()
    {
        // The validator itself: a Deployment without a selector and with a string port must fail, or the test above proves nothing.
        var broken = new V1Deployment
        {
            ApiVersion = "apps/v1", Kind = "Deployment", Metadata = new V1ObjectMeta { Name = "broken" },
            Spec = new V1DeploymentSpec { Template = new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [new V1Container { Name = "c" }] } } },
        };

        var result = await KubernetesSchemaValidator.ValidateAsync([broken], _work);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("selector", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public async Task KubectlKustomizeRendersTheFolder(string preset)
    {
        var kubectl = ExternalCommand.Find("kubectl");
        Assert.SkipWhen(kubectl is null, "kubectl is not on PATH (Debian's kubernetes-client provides it); kustomize rendering not checked");
        var output = await PublishAsync(preset);

        var result = await ExternalCommand.RunAsync(kubectl!, "kustomize", output.Directory);

        Assert.True(result.ExitCode == 0, $"kubectl kustomize failed for {preset}: {result.Error}");
        var rendered = k8s.KubernetesYaml.LoadAllFromString(result.Output);
        Assert.Equal(output.Objects.Count, rendered.Count);
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public async Task MainIsADeploymentAndEachWorkerPoolOneStatefulSetBehindAHeadlessService(string preset)
    {
        var output = await PublishAsync(preset);
        var layout = SynapseLayout.Create(OptionsOf(preset));

        var names = output.Workloads.Select(w => w.Name).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        var main = output.WorkloadNamed(layout.Main.Host);
        Assert.Equal("Deployment", main.Kind);
        Assert.Equal("Recreate", Assert.Single(output.Of<V1Deployment>(), d => d.Metadata.Name == layout.Main.Host).Spec.Strategy.Type);
        foreach (var pool in layout.Workers.GroupBy(i => i.Pool))
        {
            var statefulSet = Assert.Single(output.Of<V1StatefulSet>(), s => s.Metadata.Name == pool.Key.Name);
            Assert.Equal(pool.Count(), statefulSet.Spec.Replicas);
            Assert.Equal(1, statefulSet.Spec.Ordinals.Start);
            Assert.Equal(pool.Key.Name, statefulSet.Spec.Template.Metadata.Labels[KubernetesLabels.Pool]);
            var service = Assert.Single(output.Of<V1Service>(), s => s.Metadata.Name == statefulSet.Spec.ServiceName);
            Assert.Equal("None", service.Spec.ClusterIP);
            Assert.True(Selects(service.Spec.Selector, statefulSet.Spec.Template.Metadata.Labels));
            // The pods' names are the layout's worker names.
            Assert.Equal(pool.Select(i => i.Name), PodNames(statefulSet));
            Assert.Equal(pool.Key.ScalesWithoutNewConfig, statefulSet.Metadata.Annotations?.ContainsKey(Matrix.AppHost.Synapse.SynapseKubernetesObjects.MaxReplicasAnnotation) ?? false);
        }
        Assert.Equal(layout.Workers.Select(w => w.Pool.Name).Distinct().Count(), output.Of<V1StatefulSet>().Count(s => s.Spec.Template.Metadata.Labels.ContainsKey(KubernetesLabels.Pool)));
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public async Task EachPoolPodNamesItselfAsTheSharedConfigNamesIt(string preset)
    {
        var output = await PublishAsync(preset);
        var shell = ExternalCommand.Find("sh");
        Assert.SkipWhen(shell is null, "no sh on PATH");
        var podNames = new Dictionary<string, string>(StringComparer.Ordinal); // pod -> its StatefulSet's Service
        foreach (var statefulSet in output.Of<V1StatefulSet>().Where(s => s.Spec.Template.Metadata.Labels.ContainsKey(KubernetesLabels.Pool)))
        {
            var container = Assert.Single(statefulSet.Spec.Template.Spec.Containers);
            var max = statefulSet.Metadata.Annotations is { } annotations && annotations.TryGetValue(Matrix.AppHost.Synapse.SynapseKubernetesObjects.MaxReplicasAnnotation, out var stated)
                ? int.Parse(stated, System.Globalization.CultureInfo.InvariantCulture)
                : statefulSet.Spec.Replicas!.Value;
            // Every pod the pool may run, up to its maximum: the pod's own command, with the image's entrypoint and
            // Synapse's arguments replaced by `true`, and its worker_name file in a folder of the test's.
            foreach (var pod in Enumerable.Range(statefulSet.Spec.Ordinals.Start!.Value, max).Select(ordinal => $"{statefulSet.Metadata.Name}-{ordinal}"))
            {
                var file = Path.Combine(_work, pod + ".yaml");
                var command = container.Command.ToList();
                var fileVariable = Assert.Single(container.Env, v => v.Name == Matrix.Stack.Synapse.PodWorkerName.FileVariable).Value;
                Assert.Equal("metadata.name", Assert.Single(container.Env, v => v.Name == Matrix.Stack.Synapse.PodWorkerName.PodNameVariable).ValueFrom.FieldRef.FieldPath);
                Assert.Contains(fileVariable, container.Args);
                Assert.Contains(container.VolumeMounts, m => fileVariable.StartsWith(m.MountPath + "/", StringComparison.Ordinal));
                var result = await ExternalCommand.RunAsync(command[0],
                    new Dictionary<string, string> { [Matrix.Stack.Synapse.PodWorkerName.PodNameVariable] = pod, [Matrix.Stack.Synapse.PodWorkerName.FileVariable] = file },
                    [.. command.Skip(1).Take(command.Count - 2), "true"]);
                Assert.True(result.ExitCode == 0, $"{pod}: {result.Error}");
                var written = new YamlDotNet.Serialization.Deserializer().Deserialize<Dictionary<string, string>>(await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
                Assert.Equal(pod, Assert.Single(written, entry => entry.Key == "worker_name").Value);
                podNames[pod] = statefulSet.Spec.ServiceName;
            }
            // A name that is no pod's is refused rather than used.
            var refused = await ExternalCommand.RunAsync(container.Command[0],
                new Dictionary<string, string> { [Matrix.Stack.Synapse.PodWorkerName.PodNameVariable] = "Bad Name", [Matrix.Stack.Synapse.PodWorkerName.FileVariable] = Path.Combine(_work, "refused.yaml") },
                [.. container.Command.Skip(1).Take(container.Command.Count - 2), "true"]);
            Assert.Equal(1, refused.ExitCode);
        }

        // Every worker Synapse's shared config names is a pod, and instance_map reaches it at <pod>.<Service>.
        var homeserver = output.Of<V1ConfigMap>().First(c => c.Metadata.Name == "synapse-main-config").Data["homeserver.yaml"];
        var config = new YamlDotNet.Serialization.Deserializer().Deserialize<Dictionary<string, object>>(homeserver);
        foreach (var (name, entry) in (config.GetValueOrDefault("instance_map") as Dictionary<object, object> ?? []).Select(e => ((string)e.Key, (Dictionary<object, object>)e.Value)))
        {
            if (name != "main")
            {
                Assert.True(podNames.TryGetValue(name, out var service), $"instance_map names {name}, which no pool runs");
                Assert.Equal($"{name}.{service}", entry["host"]);
            }
        }
        var named = new List<string>();
        foreach (var option in new[] { "stream_writers", "federation_sender_instances", "pusher_instances", "run_background_tasks_on", "update_user_directory_from_worker", "notify_appservices_from_worker", "media_instance_running_background_jobs" })
        {
            named.AddRange(Flatten(config.GetValueOrDefault(option)));
        }
        Assert.All(named.Where(n => n != "main"), name => Assert.True(podNames.ContainsKey(name), $"Synapse's shared config names {name}, which is no pod"));

        static IEnumerable<string> Flatten(object? value) => value switch
        {
            null => [],
            string text => [text],
            Dictionary<object, object> map => map.Values.SelectMany(Flatten),
            List<object> list => list.SelectMany(Flatten),
            _ => throw new Xunit.Sdk.XunitException($"unexpected {value.GetType().Name}"),
        };
    }

    private static IEnumerable<string> PodNames(V1StatefulSet statefulSet) =>
        Enumerable.Range(statefulSet.Spec.Ordinals?.Start ?? 0, statefulSet.Spec.Replicas ?? 1).Select(ordinal => $"{statefulSet.Metadata.Name}-{ordinal}");

    [Theory]
    [MemberData(nameof(Presets))]
    public async Task EachServiceSelectsOneWorkloadOnPortsItsContainerDeclares(string preset)
    {
        var output = await PublishAsync(preset);

        foreach (var service in output.Of<V1Service>().Where(s => s.Spec.Type != "ExternalName"))
        {
            var selected = output.Workloads.Where(w => Selects(service.Spec.Selector, w.Template.Metadata.Labels)).ToList();
            var workload = Assert.Single(selected);
            foreach (var port in service.Spec.Ports)
            {
                var declared = workload.Container.Ports ?? [];
                Assert.True(
                    declared.Any(p => p.Name == port.TargetPort.Value && p.Protocol == port.Protocol),
                    $"Service {service.Metadata.Name} targets {port.TargetPort.Value}/{port.Protocol}, which {workload.Name} does not declare");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public async Task EveryMountedKeyExistsAndEverySecretKeyIsOneTheOperatorCreates(string preset)
    {
        var output = await PublishAsync(preset);
        var configMaps = output.Of<V1ConfigMap>().ToDictionary(c => c.Metadata.Name, StringComparer.Ordinal);
        var operatorKeys = SecretName.RequiredFor(OptionsOf(preset))
            .Select(name => (Secret: name == SecretName.SigningKey ? KubernetesSecrets.SigningKeySecret : KubernetesSecrets.StackSecret, Key: name))
            .ToHashSet();
        var claims = output.Of<V1PersistentVolumeClaim>().Select(c => c.Metadata.Name).ToHashSet(StringComparer.Ordinal);

        foreach (var workload in output.Workloads)
        {
            var volumes = workload.Template.Spec.Volumes ?? [];
            foreach (var mount in workload.Container.VolumeMounts ?? [])
            {
                Assert.True(volumes.Any(v => v.Name == mount.Name) || mount.Name.StartsWith("data", StringComparison.Ordinal),
                    $"{workload.Name} mounts volume {mount.Name}, which its pod does not have");
            }
            foreach (var volume in volumes)
            {
                if (volume.ConfigMap is { } configMap)
                {
                    Assert.True(configMaps.TryGetValue(configMap.Name, out var map), $"{workload.Name} mounts ConfigMap {configMap.Name}, which is not published");
                    Assert.All(configMap.Items, item => Assert.True(map!.Data.ContainsKey(item.Key), $"{workload.Name}: ConfigMap {configMap.Name} has no key {item.Key}"));
                }
                foreach (var secret in volume.Projected?.Sources.Select(s => s.Secret).OfType<V1SecretProjection>() ?? [])
                {
                    Assert.All(secret.Items, item => Assert.Contains((secret.Name, item.Key), operatorKeys));
                }
                if (volume.PersistentVolumeClaim is { } claim)
                {
                    Assert.Contains(claim.ClaimName, claims);
                }
            }
            foreach (var variable in workload.Container.Env ?? [])
            {
                if (variable.ValueFrom?.SecretKeyRef is { } reference)
                {
                    Assert.Contains((reference.Name, reference.Key), operatorKeys);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public async Task EveryHostInTheGeneratedSynapseFilesIsAService(string preset)
    {
        var output = await PublishAsync(preset);
        var services = output.Of<V1Service>().Select(s => s.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        var synapseFiles = output.Of<V1ConfigMap>().Where(c => c.Metadata.Name.StartsWith("synapse-", StringComparison.Ordinal)).SelectMany(c => c.Data.Values).ToList();

        var hosts = synapseFiles.SelectMany(text => HostLine().Matches(text).Select(m => m.Groups["host"].Value)
                .Concat(EndpointUrl().Matches(text).Select(m => new Uri(m.Groups["url"].Value).Host)))
            .ToHashSet(StringComparer.Ordinal);

        // A pool's pod is reached at <pod>.<its StatefulSet's headless Service>.
        var pods = output.Of<V1StatefulSet>().SelectMany(s => PodNames(s).Select(pod => $"{pod}.{s.Spec.ServiceName}")).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("postgres", hosts);
        Assert.All(hosts, host => Assert.True(services.Contains(host) || (pods.Contains(host) && services.Contains(host.Split('.')[1])),
            $"the Synapse config addresses {host}, but no Service or StatefulSet pod has that name"));
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public async Task EachPoolThatMayRunSeveralPodsHasABudgetSelectingItsPods(string preset)
    {
        var output = await PublishAsync(preset);
        var layout = SynapseLayout.Create(OptionsOf(preset));
        var severalPools = layout.Workers.GroupBy(i => i.Pool)
            .Where(g => g.Count() > 1 || g.Key.ScalesWithoutNewConfig)
            .Select(g => g.Key.Name).Order().ToList();

        var budgets = output.Of<V1PodDisruptionBudget>().ToList();
        Assert.Equal(severalPools, budgets.Select(b => b.Spec.Selector.MatchLabels[KubernetesLabels.Pool]).Order());
        foreach (var budget in budgets)
        {
            var selected = Assert.Single(output.Workloads, w => Selects(budget.Spec.Selector.MatchLabels, w.Template.Metadata.Labels));
            Assert.Equal(budget.Spec.Selector.MatchLabels[KubernetesLabels.Pool], selected.Name);
            Assert.Equal(1, budget.Spec.MaxUnavailable.Value is string text ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : Convert.ToInt32(budget.Spec.MaxUnavailable.Value, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task NoSecretValueReachesTheOutput()
    {
        // Publishing reads no secret from the configuration: every secret parameter resolves to the one placeholder
        // (MatrixSecretsExtensions.PublishedPlaceholder), so a value given here would prove nothing. What a code path that
        // resolved a secret parameter's value into a file would write is that placeholder: it must appear nowhere.
        var output = await PublishAsync(Publisher.Preset);

        foreach (var file in Directory.GetFiles(output.Directory, "*", SearchOption.AllDirectories))
        {
            var text = await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken);
            Assert.False(text.Contains(MatrixSecretsExtensions.PublishedPlaceholder, StringComparison.Ordinal), $"{Path.GetFileName(file)} holds a resolved secret parameter");
        }
        // The variables that must carry a secret come from a Secret.
        Assert.NotNull(Variable(output.WorkloadNamed("synapse-main"), "PGPASSWORD").ValueFrom?.SecretKeyRef);
        Assert.NotNull(Variable(output.WorkloadNamed("postgres"), "POSTGRES_PASSWORD").ValueFrom?.SecretKeyRef);
        Assert.NotNull(Variable(output.WorkloadNamed("redis"), "REDIS_PASSWORD").ValueFrom?.SecretKeyRef);
        Assert.NotNull(Variable(output.WorkloadNamed("minio"), "MINIO_ROOT_PASSWORD").ValueFrom?.SecretKeyRef);
        Assert.NotNull(Variable(output.WorkloadNamed("media-janitor"), "Janitor__S3__SecretAccessKey").ValueFrom?.SecretKeyRef);
        // The janitor's connection string names the password only as a variable the kubelet expands from the Secret.
        var janitor = output.WorkloadNamed("media-janitor");
        Assert.Contains("Password=$(MATRIX_SECRET_POSTGRES_PASSWORD)", Variable(janitor, "ConnectionStrings__synapse").Value, StringComparison.Ordinal);
        Assert.Equal("postgres_password", Variable(janitor, "MATRIX_SECRET_POSTGRES_PASSWORD").ValueFrom.SecretKeyRef.Key);
    }

    [Fact]
    public async Task TheLargePresetReflectsItsLayout()
    {
        var output = await PublishAsync(StackPresets.Large);
        var options = StackPresets.Create(StackPresets.Large);

        foreach (var (pool, count) in options.Workers.Where(w => w.Key != PoolType.Main))
        {
            var statefulSet = Assert.Single(output.Of<V1StatefulSet>(), s => s.Metadata.Name == pool.Name());
            Assert.Equal(count, statefulSet.Spec.Replicas);
            var sizing = Matrix.Stack.Sizing.StackSizing.For(options).ForPool(pool);
            var container = Assert.Single(statefulSet.Spec.Template.Spec.Containers);
            Assert.Equal(sizing.CpuRequest, container.Resources.Requests["cpu"].ToString());
            Assert.Equal(sizing.MemoryLimit, container.Resources.Limits["memory"].ToString());
        }
        Assert.Equal(8, output.Of<V1StatefulSet>().Single(s => s.Metadata.Name == "synchrotron").Spec.Replicas);
        Assert.Contains(output.Of<V1PodDisruptionBudget>(), b => b.Metadata.Name == "synapse-pool-synchrotron");
        // The router finds the synchrotrons through their headless Service, looking again every few seconds; the
        // stream writers at their pods' stable names.
        var router = output.WorkloadNamed("router");
        Assert.Equal("http://synapse-synchrotron:8008", Variable(router, "Router__Pools__synchrotron__synapse_synchrotron").Value);
        Assert.DoesNotContain(router.Container.Env, v => v.Name.StartsWith("Router__Pools__synchrotron__synchrotron", StringComparison.Ordinal));
        Assert.Equal("http://typing-1.synapse-typing:8008", Variable(router, "Router__Pools__typing__typing_1").Value);
        Assert.Equal(Matrix.Stack.Wiring.RouterWiring.PoolServiceRefreshSeconds, Variable(router, "Router__Dns__RefreshInterval").Value);
        // PostgreSQL accepts the connections of every pod the scalable pools may run (twice the layout's by default).
        var scalablePods = options.Workers.Where(w => WorkerCatalog.Get(w.Key).ScalesWithoutNewConfig).Sum(w => w.Value);
        var expected = Matrix.Stack.Wiring.DatabaseCapacity.Of(options).WithMoreSynapseProcesses(scalablePods, options.Database.PoolMax).ServerMaxConnections;
        Assert.Contains($"max_connections={expected}", output.WorkloadNamed("postgres").Container.Args);
    }

    [Fact]
    public async Task ProbesSizingHostNetworkAndRunOnceWorkloadsFollowTheModel()
    {
        var output = await PublishAsync(Publisher.Preset);

        var main = output.WorkloadNamed("synapse-main").Container;
        Assert.Equal("/health", main.ReadinessProbe.HttpGet.Path);
        Assert.Equal(KubernetesProbes.StartupFailureThreshold * KubernetesProbes.StartupPeriodSeconds, main.StartupProbe.FailureThreshold * main.StartupProbe.PeriodSeconds);
        Assert.Equal("/health", main.LivenessProbe.HttpGet.Path);
        var router = output.WorkloadNamed("router").Container;
        Assert.Equal("/health", router.ReadinessProbe.HttpGet.Path);
        Assert.Equal("/alive", router.LivenessProbe.HttpGet.Path);

        Assert.True(output.WorkloadNamed("coturn").Template.Spec.HostNetwork);
        Assert.True(output.WorkloadNamed("livekit").Template.Spec.HostNetwork);
        Assert.Null(output.WorkloadNamed("synapse-main").Template.Spec.HostNetwork);
        Assert.Equal("Recreate", output.Of<V1Deployment>().Single(d => d.Metadata.Name == "coturn").Spec.Strategy.Type);

        Assert.Equal("CronJob", output.WorkloadNamed("media-janitor").Kind);
        Assert.Contains("--once", output.WorkloadNamed("media-janitor").Container.Args);
        Assert.Equal("Job", output.WorkloadNamed("minio-bucket").Kind);
        Assert.Equal("StatefulSet", output.WorkloadNamed("postgres").Kind);
        Assert.Contains(output.Of<V1PersistentVolumeClaim>(), claim => claim.Spec.AccessModes.Contains("ReadWriteMany"));
        // LiveKit's Redis is its own.
        Assert.Contains(output.Workloads, w => w.Name == "livekit-redis");
        Assert.Contains(output.Workloads, w => w.Name == "redis");
    }

    [Fact]
    public async Task TheRouterSitsBehindTheIngress()
    {
        var output = await PublishAsync(Publisher.Preset, "--Matrix:Kubernetes:Ingress:Host=chat.example.org", "--Matrix:Kubernetes:Ingress:TlsSecret=chat-tls",
            "--Matrix:Kubernetes:Images:router=registry.example.org/matrix-router:1.0");

        var ingress = Assert.Single(output.Of<V1Ingress>());
        var rule = Assert.Single(ingress.Spec.Rules);
        Assert.Equal("chat.example.org", rule.Host);
        Assert.Equal(Matrix.AppHost.Routing.RouterIngress.Paths, rule.Http.Paths.Select(p => p.Path));
        Assert.All(rule.Http.Paths, p => Assert.Equal("router", p.Backend.Service.Name));
        Assert.Equal("chat-tls", Assert.Single(ingress.Spec.Tls).SecretName);

        var router = output.WorkloadNamed("router").Container;
        Assert.Equal("registry.example.org/matrix-router:1.0", router.Image);
        Assert.False(string.IsNullOrEmpty(Variable(output.WorkloadNamed("router"), "Router__TrustedProxies").Value));
        Assert.False(string.IsNullOrEmpty(Variable(output.WorkloadNamed("router"), "Router__AdminAllowList").Value));
        Assert.Equal("8080", Variable(output.WorkloadNamed("router"), "HTTP_PORTS").Value);
        Assert.Contains(router.Ports, p => p.ContainerPort == 8080 && p.Name == "http");
    }

    [Fact]
    public async Task WithAGatewayTheRouterIsBehindAnHttpRouteThatMeetsTheGatewayApiRules()
    {
        var output = await PublishAsync(Publisher.Preset, "--Matrix:Kubernetes:Gateway:Name=public-gateway", "--Matrix:Kubernetes:Gateway:Namespace=gateways",
            "--Matrix:Kubernetes:Gateway:SectionName=https");

        Assert.Empty(output.Of<V1Ingress>());
        var route = Assert.Single(output.Of<Matrix.AppHost.Routing.GatewayHttpRoute>());
        var parent = Assert.Single(route.Spec.ParentRefs);
        Assert.Equal(("public-gateway", "gateways", "https"), (parent.Name, parent.Namespace, parent.SectionName));
        Assert.Equal(["example.org"], route.Spec.Hostnames);
        var rule = Assert.Single(route.Spec.Rules);
        Assert.Equal(Matrix.AppHost.Routing.RouterIngress.Paths, rule.Matches.Select(m => m.Path.Value));
        Assert.All(rule.Matches, m => Assert.Equal("PathPrefix", m.Path.Type));
        // The backend is the router's Service on a port that Service has.
        var backend = Assert.Single(rule.BackendRefs);
        var service = Assert.Single(output.Of<V1Service>(), s => s.Metadata.Name == backend.Name);
        Assert.Contains(service.Spec.Ports, p => p.Port == backend.Port);

        var text = await File.ReadAllTextAsync(Path.Combine(output.Directory, Matrix.AppHost.Routing.RouterIngress.HttpRouteFileName), TestContext.Current.CancellationToken);
        var problems = GatewayApiHttpRouteRules.Check(text.Split("---\n", StringSplitOptions.RemoveEmptyEntries).Single());
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        // Every other object still passes the Kubernetes schemas, and kustomize renders the folder with the route in it.
        var result = await KubernetesSchemaValidator.ValidateAsync(output.Objects.Where(o => o is not Matrix.AppHost.Routing.GatewayHttpRoute).ToList(), _work);
        Assert.True(result.ExitCode == 0, $"kubernetes-models rejected objects:{Environment.NewLine}{result.Output}{result.Error}");
        if (ExternalCommand.Find("kubectl") is { } kubectl)
        {
            var rendered = await ExternalCommand.RunAsync(kubectl, "kustomize", output.Directory);
            Assert.True(rendered.ExitCode == 0, rendered.Error);
            Assert.Contains("kind: HTTPRoute", rendered.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheHttpRouteRulesRejectWhatAClusterWould()
    {
        // The hand-written rules themselves must fail on what the Gateway API refuses, or the test above proves nothing.
        const string Route = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: matrix
            spec:
              parentRefs:
              - name: gw
              hostnames:
              - Example.org
              rules:
              - matches:
                - path:
                    type: PathPrefix
                    value: _matrix
                - path:
                    type: Prefix
                    value: /a//b
                backendRefs:
                - name: router
                extra: 1
            """;

        var problems = GatewayApiHttpRouteRules.Check(Route);

        Assert.Contains(problems, p => p.Contains("Example.org", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("must be an absolute path", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'Prefix' is not Exact", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("must have port for Service reference", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("extra is not a field", StringComparison.Ordinal));
        Assert.Empty(GatewayApiHttpRouteRules.Check(Route.Replace("Example.org", "example.org", StringComparison.Ordinal)
            .Replace("value: _matrix", "value: /_matrix", StringComparison.Ordinal).Replace("type: Prefix", "type: PathPrefix", StringComparison.Ordinal)
            .Replace("/a//b", "/a/b", StringComparison.Ordinal).Replace("- name: router", "- name: router\n      port: 8080", StringComparison.Ordinal)
            .Replace("    extra: 1", "", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task BadGatewaySettingsAreRefusedNamingThem()
    {
        await AssertPublishRefusedAsync(["--Matrix:Kubernetes:Gateway:Name=Public_Gateway", "--Matrix:Kubernetes:Ingress:TlsSecret=chat-tls"],
            "Matrix:Kubernetes:Gateway:Name: 'Public_Gateway' is not a Kubernetes name",
            "Matrix:Kubernetes:Ingress:TlsSecret: has no meaning with Matrix:Kubernetes:Gateway:Name");
    }

    [Fact]
    public async Task MasGetsItsDeploymentServiceSecretFilesAndAJobCreatingItsDatabase()
    {
        var secrets = SecretName.All.Select(name => (Parameter: MatrixSecrets.ParameterName(name), Value: $"s3cr3t-{name.Replace('_', 'x')}-7a6b5c")).ToList();
        var output = await PublishAsync(Publisher.Preset + WithMas, [.. secrets.Select(s => $"--Parameters:{s.Parameter}={s.Value}")]);
        var options = OptionsOf(Publisher.Preset + WithMas);

        var mas = output.WorkloadNamed("mas");
        Assert.Equal("Deployment", mas.Kind);
        Assert.StartsWith("ghcr.io/element-hq/matrix-authentication-service:", mas.Container.Image, StringComparison.Ordinal);
        Assert.Equal("/health", mas.Container.ReadinessProbe.HttpGet.Path);
        var service = Assert.Single(output.Of<V1Service>(), s => s.Metadata.Name == "mas");
        Assert.Equal([options.Mas.HttpPort, options.Mas.HealthPort], service.Spec.Ports.Select(p => p.Port).Order());

        // Every secret MAS reads is a file projected from the operator's Secret, under the key generate-secrets writes.
        var projected = (mas.Template.Spec.Volumes ?? []).SelectMany(v => v.Projected?.Sources ?? []).Select(source => source.Secret).OfType<V1SecretProjection>()
            .SelectMany(secret => secret.Items.Select(item => (secret.Name, item.Key))).ToHashSet();
        foreach (var name in Matrix.Stack.Mas.MasSecrets.Files(options.Mas))
        {
            Assert.Contains((KubernetesSecrets.StackSecret, name), projected);
        }
        Assert.Contains((KubernetesSecrets.StackSecret, SecretName.MasSigningKeyRsa), projected);
        // The router sends MAS's endpoints to the mas Service.
        Assert.Equal("http://mas:8080", Variable(output.WorkloadNamed("router"), "Router__Pools__mas__mas").Value);

        // Nothing in a cluster runs Aspire's creation script: a Job creates MAS's database (UTF8 from template0), once.
        var job = Assert.Single(output.Of<V1Job>(), j => j.Metadata.Name == "mas-database");
        var psql = Assert.Single(job.Spec.Template.Spec.Containers);
        Assert.Equal(output.WorkloadNamed("postgres").Container.Image, psql.Image);
        Assert.Equal(["sh", "-ec", KubernetesDatabaseJob.Script], psql.Command);
        string Env(string name) => Assert.Single(psql.Env, v => v.Name == name).Value;
        Assert.Equal("postgres", Env("PGHOST"));
        Assert.Equal(options.Database.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Env("PGPORT"));
        Assert.Equal(options.Database.User, Env("PGUSER"));
        Assert.Equal("CREATE DATABASE \"mas\" WITH ENCODING 'UTF8' TEMPLATE template0", Env("MATRIX_DATABASE_CREATE"));
        var password = Assert.Single(psql.Env, v => v.Name == "PGPASSWORD");
        Assert.Null(password.Value);
        Assert.Equal((KubernetesSecrets.StackSecret, SecretName.PostgresPassword), (password.ValueFrom.SecretKeyRef.Name, password.ValueFrom.SecretKeyRef.Key));
        // Its database name agrees with MAS's config.
        var masConfig = string.Join("\n", output.Of<V1ConfigMap>().Where(c => c.Metadata.Name.StartsWith("mas", StringComparison.Ordinal)).SelectMany(c => c.Data.Values));
        Assert.Matches("""(?m)^\s*database:\s*"?mas"?\s*$""", masConfig);
        Assert.Matches("""(?m)^\s*host:\s*"?postgres"?\s*$""", masConfig);

        foreach (var file in Directory.GetFiles(output.Directory))
        {
            var text = await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken);
            Assert.All(secrets, secret => Assert.DoesNotContain(secret.Value, text, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task MasWithAnExternalDatabaseGetsNoCreationJobAndMasOffChangesNothing()
    {
        var external = await PublishAsync(Publisher.Preset + WithMas, "--Matrix:Settings:mas.database.host=mas-db.databases.svc");
        Assert.DoesNotContain(external.Of<V1Job>(), j => j.Metadata.Name == "mas-database");
        Assert.Contains(external.Workloads, w => w.Name == "mas");

        var off = await PublishAsync(Publisher.Preset);
        Assert.DoesNotContain(off.Workloads, w => w.Name.StartsWith("mas", StringComparison.Ordinal));
        Assert.DoesNotContain(off.Files, f => f.StartsWith("mas", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnExternalPostgresReplacesTheStatefulSet()
    {
        var output = await PublishAsync(Publisher.Preset, "--Matrix:Kubernetes:ExternalPostgres=synapse-db-rw.databases.svc.cluster.local");

        Assert.DoesNotContain(output.Workloads, w => w.Name == "postgres");
        var service = Assert.Single(output.Of<V1Service>(), s => s.Metadata.Name == "postgres");
        Assert.Equal("ExternalName", service.Spec.Type);
        Assert.Equal("synapse-db-rw.databases.svc.cluster.local", service.Spec.ExternalName);
    }

    [Fact]
    public async Task ABadSettingFailsNamingIt()
    {
        await AssertPublishRefusedAsync(["--Matrix:Kubernetes:VolumeSizes:postgres=lots"], "Matrix:Kubernetes:VolumeSizes:postgres: 'lots' is not a Kubernetes quantity");
    }

    [Fact]
    public async Task AutoscalingGivesEachScalablePoolAnAutoscalerFromItsCountToItsMaximum()
    {
        var output = await PublishAsync(StackPresets.Large, "--Matrix:Kubernetes:Autoscaling:Enabled=true", "--Matrix:Kubernetes:Autoscaling:CpuUtilization=60",
            "--Matrix:Kubernetes:MaxReplicas:synchrotron=12");
        var layout = SynapseLayout.Create(StackPresets.Create(StackPresets.Large));

        var autoscalers = output.Of<V2HorizontalPodAutoscaler>().ToList();
        var scalable = layout.Workers.GroupBy(w => w.Pool).Where(g => g.Key.ScalesWithoutNewConfig).ToList();
        Assert.Equal(scalable.Select(g => g.Key.Name).Order(), autoscalers.Select(a => a.Metadata.Name).Order());
        foreach (var pool in scalable)
        {
            var autoscaler = autoscalers.Single(a => a.Metadata.Name == pool.Key.Name);
            var statefulSet = Assert.Single(output.Of<V1StatefulSet>(), s => s.Metadata.Name == autoscaler.Spec.ScaleTargetRef.Name);
            Assert.Equal(("apps/v1", "StatefulSet"), (autoscaler.Spec.ScaleTargetRef.ApiVersion, autoscaler.Spec.ScaleTargetRef.Kind));
            Assert.Null(statefulSet.Spec.Replicas);
            Assert.Equal(pool.Count(), autoscaler.Spec.MinReplicas);
            Assert.Equal(statefulSet.Metadata.Annotations[Matrix.AppHost.Synapse.SynapseKubernetesObjects.MaxReplicasAnnotation], autoscaler.Spec.MaxReplicas.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(60, Assert.Single(autoscaler.Spec.Metrics).Resource.Target.AverageUtilization);
            // Utilization is of the CPU request, which the pods have.
            Assert.NotNull(Assert.Single(statefulSet.Spec.Template.Spec.Containers).Resources.Requests["cpu"]);
        }
        Assert.Equal(12, autoscalers.Single(a => a.Metadata.Name == "synchrotron").Spec.MaxReplicas);
        // The writers keep their fixed count and get no autoscaler.
        Assert.Equal(layout.InstancesOf(PoolType.EventPersister).Count, output.Of<V1StatefulSet>().Single(s => s.Metadata.Name == "event-persister").Spec.Replicas);

        var result = await KubernetesSchemaValidator.ValidateAsync(output.Objects, _work);
        Assert.True(result.ExitCode == 0, $"kubernetes-models rejected objects:{Environment.NewLine}{result.Output}{result.Error}");
    }

    [Fact]
    public async Task BadAutoscalingSettingsAreRefusedNamingThem()
    {
        await AssertPublishRefusedAsync(["--Matrix:Kubernetes:Autoscaling:Enabled=yes", "--Matrix:Kubernetes:Autoscaling:CpuUtilization=150"],
            "Matrix:Kubernetes:Autoscaling:Enabled: 'yes' is not true or false",
            "Matrix:Kubernetes:Autoscaling:CpuUtilization: '150' is not a whole percentage");
    }

    [Fact]
    public async Task AMaximumForAPoolThatCannotScaleOrBelowTheLayoutIsRefused()
    {
        await AssertPublishRefusedAsync(["--Matrix:Kubernetes:MaxReplicas:event-persister=4", "--Matrix:Kubernetes:MaxReplicas:synchrotron=1",
            "--Matrix:Kubernetes:MaxReplicas:client-reader=many"],
            "Matrix:Kubernetes:MaxReplicas:event-persister: 'event-persister' is not a pool that scales without re-publishing",
            "Matrix:Kubernetes:MaxReplicas:synchrotron: 1 is fewer than the layout's 2",
            "Matrix:Kubernetes:MaxReplicas:client-reader: 'many' is not a whole number");
        // An external server's stated limit must hold every pod the pools may run, not only the layout's.
        var layoutNeeds = Matrix.Stack.Wiring.DatabaseCapacity.Of(OptionsOf(Publisher.Preset)).Required;
        await AssertPublishRefusedAsync([$"--Matrix:Settings:database.maxConnections={layoutNeeds}"],
            $"Matrix:Kubernetes:MaxReplicas: database.maxConnections {layoutNeeds} cannot hold every pod the scalable pools may run");
    }

    [Fact]
    public async Task APublishCallbackShapesItsResourcesObjectsAndTheBuilderKnowsNoResource()
    {
        // A resource the publisher has never heard of: only its own callback makes it more than a Deployment and Service.
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { Args = ["--operation", "publish"], DisableDashboard = true });
        builder.AddContainer("echo", "docker.io/library/busybox", "1")
            .WithHttpEndpoint(targetPort: 8000, name: "http")
            .WithKubernetesUser(new KubernetesRunAsAnnotation(65534, 65534))
            .PublishAsKubernetes(objects =>
            {
                objects.Objects.OfType<V1Deployment>().Single().Spec.Replicas = 3;
                objects.AddToSharedFile("shared.yaml", new V1ConfigMap { ApiVersion = "v1", Kind = V1ConfigMap.KubeKind, Metadata = new V1ObjectMeta { Name = "from-echo" } });
                objects.FileName = "renamed.yaml";
            });
        using var app = builder.Build();
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        var context = app.Services.GetRequiredService<DistributedApplicationExecutionContext>();

        var manifest = await new KubernetesManifestBuilder(model, context, new KubernetesPublishSettings(), TestContext.Current.CancellationToken).BuildAsync();

        Assert.Equal(["renamed.yaml", KubernetesNetworkPolicies.FileName, "shared.yaml"], manifest.Files.Select(f => f.FileName));
        var objects = manifest.Files[0].Objects;
        Assert.Equal(3, objects.OfType<V1Deployment>().Single().Spec.Replicas);
        Assert.Equal("echo", objects.OfType<V1Service>().Single().Metadata.Name);
        Assert.Equal("from-echo", Assert.IsType<V1ConfigMap>(Assert.Single(manifest.Files.Single(f => f.FileName == "shared.yaml").Objects)).Metadata.Name);
        // Nor does its code (comments aside) name any of the stack's resources or their types.
        var code = (await File.ReadAllLinesAsync(Path.Combine(AppHostPaths.Root, "Matrix.AppHost", "Kubernetes", "KubernetesManifestBuilder.cs"), TestContext.Current.CancellationToken))
            .Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal));
        Assert.DoesNotMatch(@"Synapse|Router|Postgres|Redis|Coturn|LiveKit|Mas\b|Ingress", string.Join('\n', code));
    }

    // The real AppHost, publishing with bad settings: exit code 1, every problem named, nothing written.
    private async Task AssertPublishRefusedAsync(string[] settings, params string[] expected)
    {
        var output = Path.Combine(_work, "refused");
        var result = await AppHostProcess.RunAsync([$"--Matrix:Preset={Publisher.Preset}", "--operation", "publish", "--step", "publish-kubernetes",
            "--output-path", output, .. settings]);
        AppHostProcess.AssertRefused(result, expected);
        Assert.False(Directory.Exists(output), "nothing is written when a setting is bad");
    }

    private static V1EnvVar Variable(KubernetesOutput.Workload workload, string name) =>
        workload.Container.Env?.SingleOrDefault(v => v.Name == name) ?? throw new Xunit.Sdk.XunitException($"{workload.Name} has no variable {name}");

    private static bool Selects(IDictionary<string, string> selector, IDictionary<string, string> labels) =>
        selector.All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value);

    // `host: "synapse-main"` (instance_map, database, redis) and `endpoint_url: "http://minio:9000"` in Synapse's files.
    [GeneratedRegex("""^\s*host:\s*"?(?<host>[^"\s]+)"?\s*$""", RegexOptions.Multiline)]
    private static partial Regex HostLine();

    [GeneratedRegex("""^\s*endpoint_url:\s*"?(?<url>[^"\s]+)"?\s*$""", RegexOptions.Multiline)]
    private static partial Regex EndpointUrl();
}
