namespace Matrix.AppHost.Kubernetes;

/// <summary>
/// A database of the deployment's PostgreSQL that nothing in a cluster would create: in run mode Aspire runs its creation
/// script, but no such step exists in Kubernetes. The publisher writes a Job (<see cref="KubernetesDatabaseJob"/>) that
/// runs <paramref name="CreationScript"/> once the server answers, unless the database already exists.
/// </summary>
public sealed record DatabaseCreationJobAnnotation(string CreationScript) : IResourceAnnotation;
