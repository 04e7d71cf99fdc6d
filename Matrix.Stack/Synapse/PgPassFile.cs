using Matrix.Stack.Model;

namespace Matrix.Stack.Synapse;

/// <summary>
/// libpq's password file, so the database password never sits in homeserver.yaml: psycopg2 passes the
/// <c>passfile</c> argument to libpq. One line <c>host:port:database:user:password</c>, with <c>:</c> and <c>\</c>
/// escaped by a backslash in every field. libpq ignores the file unless only its owner can read it (0600),
/// which is how secret files are written.
/// </summary>
public static class PgPassFile
{
    /// <summary>The line up to and including the last separator, without the password.</summary>
    public static string Prefix(DatabaseOptions database) =>
        $"{Escape(database.Host)}:{database.Port}:{Escape(database.Name)}:{Escape(database.User)}:";

    public static string Content(DatabaseOptions database, string password) => Prefix(database) + Escape(password) + "\n";

    public static string Escape(string field) => field.Replace("\\", "\\\\").Replace(":", "\\:");
}
