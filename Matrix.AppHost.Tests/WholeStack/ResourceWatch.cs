using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;

namespace Matrix.AppHost.Tests.WholeStack;

/// <summary>
/// Follows every resource of a running application: keeps the last log lines of each, and turns a resource that fails
/// to start or exits into an exception naming it with its last lines, instead of a wait that runs into a timeout.
/// </summary>
public sealed class ResourceWatch : IAsyncDisposable
{
    private const int KeptLines = 40;
    private static readonly string[] FailedStates = ["FailedToStart", "Exited", "RuntimeUnhealthy"];

    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _logs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _states = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _watchers = [];
    private readonly TaskCompletionSource<Exception> _failure = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ResourceWatch(DistributedApplication app, IEnumerable<string> resourceNames)
    {
        var loggers = app.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var name in resourceNames)
        {
            _watchers.Add(FollowLogsAsync(loggers, name));
        }
        _watchers.Add(FollowStatesAsync(app.ResourceNotifications));
    }

    /// <summary>Resources whose state is Running (or finished with success), for the report.</summary>
    public IReadOnlyList<string> Running => _states.Where(s => s.Value is "Running").Select(s => s.Key).Order(StringComparer.Ordinal).ToList();

    /// <summary>Waits for <paramref name="waiting"/>, failing at once, with the culprit named, if a resource fails first.</summary>
    public async Task UntilAsync(Task waiting, string what)
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
        await UntilAsync(waiting, what);
        return await waiting;
    }

    public Task WithFailuresAsync(Task waiting, string what) => UntilAsync(waiting, what);

    public string LastLines(string resource) =>
        _logs.TryGetValue(resource, out var lines) ? string.Join(Environment.NewLine, lines) : "(no log lines)";

    private async Task FollowLogsAsync(ResourceLoggerService loggers, string name)
    {
        var lines = _logs.GetOrAdd(name, _ => new ConcurrentQueue<string>());
        try
        {
            await foreach (var batch in loggers.WatchAsync(name).WithCancellation(_stop.Token))
            {
                foreach (var line in batch)
                {
                    lines.Enqueue(line.Content);
                    while (lines.Count > KeptLines && lines.TryDequeue(out _))
                    {
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task FollowStatesAsync(ResourceNotificationService notifications)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(_stop.Token))
            {
                var state = update.Snapshot.State?.Text ?? "";
                _states[update.Resource.Name] = state;
                var failedJob = state == "Finished" && update.Snapshot.ExitCode is { } code && code != 0;
                if (FailedStates.Contains(state) && !(state == "Exited" && update.Snapshot.ExitCode == 0) || failedJob)
                {
                    // Give the log stream a moment to deliver the lines that explain the failure.
                    await Task.Delay(TimeSpan.FromSeconds(2), _stop.Token);
                    _failure.TrySetResult(new InvalidOperationException(
                        $"resource '{update.Resource.Name}' is {state} (exit code {update.Snapshot.ExitCode?.ToString() ?? "none"}); its last log lines:{Environment.NewLine}{LastLines(update.Resource.Name)}"));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_watchers);
        _stop.Dispose();
    }
}
