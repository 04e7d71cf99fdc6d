namespace Matrix.Stack.Synapse;

/// <summary>
/// How a pod of a pool names itself (<see cref="Layout.SynapseHosting.PoolServices"/>): Synapse reads one more config
/// file, written at start into a private folder by a shell step before the image's own entrypoint, holding only
/// <c>worker_name: &lt;pod name&gt;</c> (from the Kubernetes downward API, in <see cref="PodNameVariable"/>). Synapse
/// merges its config files in order, so this is the worker's name; a pod name is a DNS label, which YAML reads as
/// the plain string it is. The step refuses anything else rather than start a worker under a wrong name.
/// </summary>
public static class PodWorkerName
{
    /// <summary>The pod's name, from <c>fieldRef: metadata.name</c>.</summary>
    public const string PodNameVariable = "MATRIX_POD_NAME";

    /// <summary>Where the step writes the file (in an emptyDir of the pod).</summary>
    public const string FileVariable = "MATRIX_WORKER_NAME_FILE";

    /// <summary>The folder of that file in the container: an emptyDir, writable whatever user the pod runs as.</summary>
    public const string Directory = "/run/matrix-worker";

    public const string FilePath = Directory + "/worker_name.yaml";

    /// <summary>
    /// POSIX <c>sh</c>: checks the name, writes the file, then execs the rest of the command line (the image's
    /// entrypoint and Synapse's arguments, <see cref="Command"/>).
    /// </summary>
    public const string Script =
        """
        set -eu
        case "${MATRIX_POD_NAME:-}" in
          ""|*[!a-z0-9-]*|-*) echo "synapse worker: MATRIX_POD_NAME '${MATRIX_POD_NAME:-}' is not a pod name" >&2; exit 1 ;;
        esac
        printf 'worker_name: %s\n' "$MATRIX_POD_NAME" > "$MATRIX_WORKER_NAME_FILE"
        exec "$@"
        """;

    /// <summary>The container command: the step, then <paramref name="entrypoint"/> (the image's) with the arguments that follow.</summary>
    public static IReadOnlyList<string> Command(string entrypoint) => ["/bin/sh", "-c", Script, "synapse-worker", entrypoint];
}
