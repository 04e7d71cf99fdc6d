using Matrix.MediaJanitor.Hosting;
using Matrix.Tests.MediaJanitor.Infrastructure;

namespace Matrix.Tests.MediaJanitor;

/// <summary>
/// Folders offloading left empty are removed once their last change is older than the minimum file age, with a
/// non-recursive delete; a folder that changed recently or gained a file stays, and the media store roots always stay.
/// </summary>
[Collection(JanitorCollection.Name)]
public sealed class EmptyFolderTests(JanitorServers servers)
{
    private static readonly string[] TreeRoots = ["local_content", "local_thumbnails", "remote_content", "remote_thumbnail"];

    [Fact]
    public async Task EmptiedFoldersGoLevelByLevelOnceOldEnoughButTheRootsStay()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        var local = await scenario.AddLocalMediaAsync(thumbnails: 2);
        var remote = await scenario.AddRemoteMediaAsync(thumbnails: 1);
        var thumbnailFolder = FolderOf(scenario, local.Thumbnails.First());
        var contentFolder = FolderOf(scenario, local.Original);

        var first = await scenario.RunAsync("--once");

        Assert.True(first.ExitCode == ExitCodes.Success, first.ToString());
        // Deleting the files changed their folders just now: too recent to remove.
        Assert.True(Directory.Exists(thumbnailFolder));
        Assert.True(Directory.Exists(contentFolder));
        Assert.Contains("empty folders removed: 0", first.Output);

        AgeAllFolders(scenario, TimeSpan.FromHours(1));
        var second = await scenario.RunAsync("--once");

        Assert.True(second.ExitCode == ExitCodes.Success, second.ToString());
        Assert.False(Directory.Exists(thumbnailFolder));
        Assert.False(Directory.Exists(contentFolder));
        // Their parents changed when they went: left for the next run.
        Assert.True(Directory.Exists(Path.GetDirectoryName(thumbnailFolder)));
        Assert.True(Directory.Exists(Path.GetDirectoryName(contentFolder)));

        for (var run = 0; run < 4 && Directory.EnumerateDirectories(scenario.MediaStore, "*", SearchOption.AllDirectories).Count() > TreeRoots.Length; run++)
        {
            AgeAllFolders(scenario, TimeSpan.FromHours(1));
            var next = await scenario.RunAsync("--once");
            Assert.True(next.ExitCode == ExitCodes.Success, next.ToString());
        }
        AgeAllFolders(scenario, TimeSpan.FromHours(1));
        var last = await scenario.RunAsync("--once");

        Assert.True(last.ExitCode == ExitCodes.Success, last.ToString());
        Assert.True(Directory.Exists(scenario.MediaStore));
        var left = Directory.EnumerateFileSystemEntries(scenario.MediaStore, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(scenario.MediaStore, p)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(TreeRoots.Order(StringComparer.Ordinal), left);
        foreach (var file in local.Files.Concat(remote.Files))
        {
            await scenario.AssertOffloadedAsync(file);
        }
    }

    [Fact]
    public async Task AnOldFolderThatGainedAFileIsLeftAloneWithItsFile()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        var media = await scenario.AddLocalMediaAsync(thumbnails: 1);
        var first = await scenario.RunAsync("--once");
        Assert.True(first.ExitCode == ExitCodes.Success, first.ToString());
        var thumbnailFolder = FolderOf(scenario, media.Thumbnails.Single());
        // A file the janitor does not offload (not a name Synapse writes) lands in the emptied folder; then every
        // folder is made old, so only the non-recursive delete stands between the file and removal.
        var stray = new MediaFixtureFile(Path.GetRelativePath(scenario.MediaStore, thumbnailFolder) + "/notes copy.txt", [1, 2, 3]);
        scenario.WriteFiles([stray], DateTimeOffset.UtcNow.AddDays(-60));
        AgeAllFolders(scenario, TimeSpan.FromHours(1));

        var second = await scenario.RunAsync("--once");

        Assert.True(second.ExitCode == ExitCodes.Success, second.ToString());
        scenario.AssertKept(stray);
        // The pass did run: the original's emptied folder went in the same run.
        Assert.False(Directory.Exists(FolderOf(scenario, media.Original)));
        Assert.Contains("empty folders removed: 1", second.Output);
    }

    [Fact]
    public async Task AnEmptyFolderChangedRecentlyIsLeftAlone()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        var media = await scenario.AddLocalMediaAsync(thumbnails: 1);
        var first = await scenario.RunAsync("--once");
        Assert.True(first.ExitCode == ExitCodes.Success, first.ToString());
        AgeAllFolders(scenario, TimeSpan.FromHours(1));
        // As when Synapse has just created the folder and is about to open its file in it.
        var thumbnailFolder = FolderOf(scenario, media.Thumbnails.Single());
        Directory.SetLastWriteTimeUtc(thumbnailFolder, DateTime.UtcNow.AddMinutes(-1));

        var second = await scenario.RunAsync("--once");

        Assert.True(second.ExitCode == ExitCodes.Success, second.ToString());
        Assert.True(Directory.Exists(thumbnailFolder));
        Assert.False(Directory.Exists(FolderOf(scenario, media.Original)));
    }

    private static string FolderOf(JanitorScenario scenario, MediaFixtureFile file) => Path.GetDirectoryName(scenario.LocalPath(file))!;

    /// <summary>Moves every folder's last change back by <paramref name="age"/>: time passing, without waiting for it.</summary>
    private static void AgeAllFolders(JanitorScenario scenario, TimeSpan age)
    {
        var when = DateTime.UtcNow - age;
        foreach (var folder in Directory.EnumerateDirectories(scenario.MediaStore, "*", SearchOption.AllDirectories).Append(scenario.MediaStore))
        {
            Directory.SetLastWriteTimeUtc(folder, when);
        }
    }
}
