using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;

namespace Matrix.AppHost.Tests.WholeStack;

/// <summary>
/// Follows every resource of a running application and turns a resource that fails to start or exits into an exception
/// naming it with its last log lines, instead of a wait that runs into a timeout.
/// </summary>
public sealed class ResourceWatch : IAsyncDisposable
{
    private const int KeptLines = 40;

    private readonly ResourceLoggerService _loggers;
    private readonly ConcurrentDictionary<string, string> _states = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _containers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watcher;
    private readonly TaskCompletionSource<Exception> _failure = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ResourceWatch(DistributedApplication app)
    {
        _loggers = app.Services.GetRequiredService<ResourceLoggerService>();
        _watcher = FollowStatesAsync(app.ResourceNotifications);
    }

    /// <summary>Resources (parameters aside) whose state is Running, for the report.</summary>
    public IReadOnlyList<string> Running => _states.Where(s => s.Value is "Running").Select(s => s.Key).Order(StringComparer.Ordinal).ToList();

    /// <summary>The podman names of the containers created so far (DCP names a container after its resource id).</summary>
    public IReadOnlyCollection<string> Containers => _containers.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Waits for <paramref name="waiting"/>, failing at once, with the culprit named, if a resource fails first.</summary>
    public async Task WithFailuresAsync(Task waiting, string what)
    {
        var first = await Task.WhenAny(waiting, _failure.Task);
        if (first == _failure.Task)
        {
            throw new Xunit.Sdk.XunitException($"while waiting for {what}: {_failure.Task.Result.Message}");
        }
        await waiting;
    }

    public async Task<T> WithFailuresAsync<T>(Task<T> waiting, string what)
    {
        await WithFailuresAsync((Task)waiting, what);
        return await waiting;
    }

    private async Task FollowStatesAsync(ResourceNotificationService notifications)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(_stop.Token))
            {
                var state = update.Snapshot.State?.Text ?? "";
                if (update.Resource is not ParameterResource)
                {
                    _states[update.Resource.Name] = state;
                }
                if (update.Resource is ContainerResource)
                {
                    _containers[update.ResourceId] = true;
                }
                var failed = state is "FailedToStart" or "RuntimeUnhealthy"
                    || (state is "Exited" or "Finished" && update.Snapshot.ExitCode is { } code && code != 0);
                if (failed)
                {
                    // Give the log stream a moment to deliver the lines that explain the failure.
                    await Task.Delay(TimeSpan.FromSeconds(3), _stop.Token);
                    _failure.TrySetResult(new InvalidOperationException(
                        $"resource '{update.Resource.Name}' is {state} (exit code {update.Snapshot.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}); " +
                        $"its last log lines:{Environment.NewLine}{await LastLinesAsync(update.ResourceId)}"));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<string> LastLinesAsync(string resourceId)
    {
        var lines = new Queue<string>();
        await foreach (var batch in _loggers.GetAllAsync(resourceId).WithCancellation(_stop.Token))
        {
            foreach (var line in batch)
            {
                lines.Enqueue(line.Content);
                if (lines.Count > KeptLines)
                {
                    lines.Dequeue();
                }
            }
        }
        return lines.Count == 0 ? "(no log lines)" : string.Join(Environment.NewLine, lines);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watcher;
        _stop.Dispose();
    }
}
