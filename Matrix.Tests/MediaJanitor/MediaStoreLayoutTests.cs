using Matrix.MediaJanitor.MediaStore;
using Matrix.MediaJanitor.Reconciliation;

namespace Matrix.Tests.MediaJanitor;

/// <summary>Synapse's media store paths (synapse/media/filepath.py), which are also the storage provider's keys.</summary>
public sealed class MediaStoreLayoutTests
{
    [Fact]
    public void LocalMediaAndThumbnailsFollowSynapsesLayout()
    {
        Assert.Equal("local_content/aa/bb/cccccccccccccccccccc", MediaStoreLayout.LocalContentPath("aabbcccccccccccccccccccc"));
        Assert.Equal("local_thumbnails/aa/bb/cccccccccccccccccccc", MediaStoreLayout.LocalThumbnailDirectory("aabbcccccccccccccccccccc"));
        Assert.Equal("128-96-image-jpeg-scale", MediaStoreLayout.ThumbnailFileName(128, 96, "image/jpeg", "scale"));
    }

    [Fact]
    public void RemoteMediaIsKeyedByOriginAndFilesystemId()
    {
        Assert.Equal("remote_content/matrix.org/aa/bb/cccccccccccccccccccc", MediaStoreLayout.RemoteContentPath("matrix.org", "aabbcccccccccccccccccccc"));
        Assert.Equal("remote_thumbnail/[::1]:8448/aa/bb/cccc", MediaStoreLayout.RemoteThumbnailDirectory("[::1]:8448", "aabbcccc"));
    }

    [Theory]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData("evil\\name")]
    public void ComponentsSynapseWouldRefuseAreRefused(string component)
    {
        Assert.Throws<InvalidMediaPathException>(() => MediaStoreLayout.Component(component));
    }

    [Fact]
    public void IdsTooShortForTheLayoutAreRefused()
    {
        Assert.Throws<InvalidMediaPathException>(() => MediaStoreLayout.LocalContentPath("abc"));
        Assert.Throws<InvalidMediaPathException>(() => MediaStoreLayout.ThumbnailFileName(1, 1, "image", "crop"));
    }

    [Theory]
    [InlineData("local_content/aa/bb/cccc", "Local", "", "aabbcccc")]
    [InlineData("local_thumbnails/aa/bb/cccc/32-32-image-png-crop", "Local", "", "aabbcccc")]
    [InlineData("remote_content/matrix.org/aa/bb/cccc", "Remote", "matrix.org", "aabbcccc")]
    [InlineData("remote_thumbnail/matrix.org/aa/bb/cccc/32-32-image-png", "Remote", "matrix.org", "aabbcccc")]
    public void KeysMapBackToTheirMediaRow(string key, string kind, string origin, string id)
    {
        var reference = ObjectKeyParser.Parse("p/", "p/" + key);

        Assert.Equal(new MediaReference(Enum.Parse<MediaKind>(kind), origin, id), reference);
    }

    [Theory]
    [InlineData("url_cache/2024-01-01/abc")]
    [InlineData("local_content/aa/bb")]
    [InlineData("local_content/aaa/bb/cccc")]
    [InlineData("other/local_content/aa/bb/cccc")]
    public void ForeignKeysAreNotRecognized(string key)
    {
        Assert.Null(ObjectKeyParser.Parse("", key));
    }
}
