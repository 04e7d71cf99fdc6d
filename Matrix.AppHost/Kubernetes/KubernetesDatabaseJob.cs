using System.Globalization;
using k8s.Models;

namespace Matrix.AppHost.Kubernetes;

/// <summary>
/// The Job that creates one database in the deployment's PostgreSQL (MAS's): the server's own image runs <c>psql</c> as
/// the server's user, with the password from the operator's Secret (<c>secretKeyRef</c>: never a value in the output).
/// It waits until the server answers, and creates the database only when <c>pg_database</c> has no row of that name,
/// so running it again (every <c>kubectl apply</c> after its TTL) changes nothing. The SQL travels in variables, not in
/// the shell text, so no quoting of the database name can break the script.
/// </summary>
public static class KubernetesDatabaseJob
{
    /// <summary>POSIX sh: the postgres image's shell. <c>-e</c>: any failure fails the pod, and the Job retries it.</summary>
    public const string Script =
        """
        until pg_isready --quiet; do echo "waiting for $PGHOST:$PGPORT"; sleep 2; done
        if [ "$(psql -v ON_ERROR_STOP=1 -tAc "$MATRIX_DATABASE_EXISTS")" = "1" ]; then
          echo "database $MATRIX_DATABASE exists"
        else
          psql -v ON_ERROR_STOP=1 -c "$MATRIX_DATABASE_CREATE"
          echo "database $MATRIX_DATABASE created"
        fi
        """;

    public static V1Job For(
        PostgresDatabaseResource database, string creationScript, string image, string user, int port, (string Secret, string Key) password)
    {
        var server = database.Parent;
        var container = new V1Container
        {
            Name = database.Name,
            Image = image,
            Command = ["sh", "-ec", Script],
            Env =
            [
                new V1EnvVar { Name = "PGHOST", Value = server.Name },
                new V1EnvVar { Name = "PGPORT", Value = port.ToString(CultureInfo.InvariantCulture) },
                new V1EnvVar { Name = "PGUSER", Value = user },
                new V1EnvVar { Name = "PGDATABASE", Value = "postgres" },
                new V1EnvVar
                {
                    Name = "PGPASSWORD",
                    ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = password.Secret, Key = password.Key } },
                },
                new V1EnvVar { Name = "MATRIX_DATABASE", Value = database.DatabaseName },
                new V1EnvVar { Name = "MATRIX_DATABASE_EXISTS", Value = ExistsQuery(database.DatabaseName) },
                new V1EnvVar { Name = "MATRIX_DATABASE_CREATE", Value = creationScript },
            ],
            Resources = KubernetesSizingAnnotation.Requirements(new("50m", "32Mi", "128Mi")),
        };
        // The server's image, so the server image's user (KubernetesPodSecurity: a database runs as its server).
        var pod = new V1PodSpec { RestartPolicy = "OnFailure", EnableServiceLinks = false, Containers = [container] };
        // Retried while the server starts, and run again (harmlessly) by a later `kubectl apply`.
        return KubernetesManifestBuilder.RunOnceJob(database, new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = KubernetesLabels.Of(database) }, Spec = pod });
    }

    /// <summary>1 when the database exists; the name as a SQL string literal.</summary>
    public static string ExistsQuery(string databaseName) =>
        $"SELECT 1 FROM pg_database WHERE datname = '{databaseName.Replace("'", "''", StringComparison.Ordinal)}'";
}
