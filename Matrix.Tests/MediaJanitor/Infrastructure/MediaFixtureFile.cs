namespace Matrix.Tests.MediaJanitor.Infrastructure;

/// <summary>A file a test put in the media store, with the bytes it must find again locally or in S3.</summary>
public sealed record MediaFixtureFile(string RelativePath, byte[] Content);

/// <summary>A media row a test created and the files it owns.</summary>
public sealed record MediaFixture(string Kind, string Origin, string MediaId, string FilesystemId, IReadOnlyList<MediaFixtureFile> Files)
{
    public MediaFixtureFile Original => Files[0];

    public IEnumerable<MediaFixtureFile> Thumbnails => Files.Skip(1);
}
