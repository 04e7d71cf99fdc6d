using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Matrix.MediaJanitor.Hosting;

/// <summary>Readiness reflects whether the last scheduled run could reach its dependencies.</summary>
public sealed class LastRunHealthCheck(LastRunStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(status.Code == ExitCodes.DependencyUnavailable
            ? HealthCheckResult.Unhealthy("the last run could not reach the database or S3")
            : HealthCheckResult.Healthy());
}
