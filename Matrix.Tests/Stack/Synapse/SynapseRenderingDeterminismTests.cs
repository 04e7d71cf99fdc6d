using Matrix.Stack.Model;
using Matrix.Stack.Synapse;

namespace Matrix.Tests.Stack.Synapse;

/// <summary>The same inputs give the same bytes: every rendered file.</summary>
public class SynapseRenderingDeterminismTests
{
    [Theory]
    [MemberData(nameof(SynapseTestLayouts.Names), MemberType = typeof(SynapseTestLayouts))]
    public void RenderingTwiceGivesIdenticalBytes(string layout)
    {
        // Two independently built option objects, so no state is shared between the renders.
        var first = RenderedSynapse.Of(SynapseTestLayouts.Create(layout));
        var second = RenderedSynapse.Of(SynapseTestLayouts.Create(layout));

        Assert.Equal(first.Files.Select(f => f.Path), second.Files.Select(f => f.Path));
        foreach (var (a, b) in first.SynapseFiles.Zip(second.SynapseFiles))
        {
            Assert.Equal(a.Path, b.Path);
            Assert.Equal(a.Kind, b.Kind);
            Assert.True(a.Content == b.Content, $"{a.Path} differs between two renders");
        }
        Assert.NotEmpty(first.SynapseFiles);
    }

    [Fact]
    public void ADifferentInputGivesADifferentFile()
    {
        var options = SynapseTestLayouts.Create("specialized");
        var before = RenderedSynapse.Of(options).File(SynapsePaths.RenderedHomeserver).Content;
        options.Database.PoolMax = 11;
        var after = RenderedSynapse.Of(options).File(SynapsePaths.RenderedHomeserver).Content;
        Assert.NotEqual(before, after);
    }
}
