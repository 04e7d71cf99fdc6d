using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Matrix.MediaJanitor.Hosting;

/// <summary>
/// Readiness reflects whether the last scheduled run could reach its dependencies; when not, the description names
/// which (Synapse's database, the state database or S3) and where, so <c>/health</c> says what to fix.
/// </summary>
public sealed class LastRunHealthCheck(LastRunStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var last = status.Last;
        return Task.FromResult(last.Code == ExitCodes.DependencyUnavailable
            ? HealthCheckResult.Unhealthy($"the last run could not use a dependency: {last.Problem ?? "the database or S3"}")
            : HealthCheckResult.Healthy());
    }
}
