using System.Text.Json.Nodes;
using Matrix.Stack.Catalog;
using Matrix.Stack.Presets;
using Matrix.Tests.Stack.Schema;

namespace Matrix.Tests.Stack.Synapse;

/// <summary>
/// The generated files against Synapse's own schema (with the one multi-writer overlay, see
/// <see cref="SynapseConfigSchema"/>), under the strict overlay: a wrong type, an unknown enum value or a misspelt option fails.
/// </summary>
public class SynapseSchemaConformanceTests
{
    [Theory]
    [MemberData(nameof(SynapseTestLayouts.Names), MemberType = typeof(SynapseTestLayouts))]
    public void TheSharedHomeserverYamlValidates(string layout)
    {
        var rendered = RenderedSynapse.Of(layout);
        var errors = SynapseConfigSchema.WithOverlaysValidator().Validate(rendered.Homeserver);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Theory]
    [MemberData(nameof(SynapseTestLayouts.Names), MemberType = typeof(SynapseTestLayouts))]
    public void EveryWorkerFileMergedOverTheSharedFileValidates(string layout)
    {
        var rendered = RenderedSynapse.Of(layout);
        var validator = SynapseConfigSchema.WithOverlaysValidator();
        var errors = rendered.Workers.Keys
            .SelectMany(worker => validator.Validate(rendered.Merged(worker)).Select(e => $"{worker}: {e}"))
            .ToList();
        Assert.Equal(rendered.Deployment.Layout.Workers.Count(), rendered.Workers.Count);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    /// <summary>
    /// The schema leaves <c>worker_listeners</c> an untyped array; Synapse parses each entry exactly like a
    /// <c>listeners</c> entry (parse_listener_def), so each is checked against the listener schema too.
    /// </summary>
    [Theory]
    [MemberData(nameof(SynapseTestLayouts.Names), MemberType = typeof(SynapseTestLayouts))]
    public void EveryWorkerListenerValidatesAsAListener(string layout)
    {
        var rendered = RenderedSynapse.Of(layout);
        var validator = SynapseConfigSchema.ListenerValidator();
        var errors = rendered.Workers.Keys
            .SelectMany(worker => rendered.Listeners(worker).Select((listener, i) => (worker, i, listener)))
            .SelectMany(x => validator.Validate(x.listener).Select(e => $"{x.worker} listener {x.i}: {e}"))
            .ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void TheOverlayWidensExactlyTheStreamsTheCatalogLetsSeveralWritersWrite()
    {
        // The schema (v1.157) predates quarantined_media_changes and leaves unknown streams unchecked, so the overlay
        // can only widen the streams it defines; the day it defines that one too, this test asks for the overlay.
        var published = SynapseConfigSchema.LoadPublished()["properties"]!["stream_writers"]!["properties"]!.AsObject();
        var catalogMultiWriter = WorkerCatalog.All
            .Where(p => p.Stream is { AllowsMultipleWriters: true } && published.ContainsKey(p.Stream.Name))
            .Select(p => p.Stream!.Name)
            .Order();
        Assert.Equal(catalogMultiWriter, SynapseConfigSchema.MultiWriterStreams.Order());
        Assert.False(published.ContainsKey(SynapseStream.QuarantinedMediaChanges.Name));
    }

    [Fact]
    public void WithoutTheOverlayOnlyTheMultiWriterListsOfTheLargePresetFail()
    {
        var rendered = RenderedSynapse.Of(StackPresets.Large);
        var errors = SynapseConfigSchema.PublishedStrict().Validate(rendered.Homeserver);
        Assert.Equal(["/stream_writers/events"], errors.Select(e => e.Path).Distinct());
    }

    [Fact]
    public void TheOverlayStillRejectsAListForASingleWriterStreamAndNonStringWriters()
    {
        var rendered = RenderedSynapse.Of(StackPresets.Large);
        var validator = SynapseConfigSchema.WithOverlaysValidator();

        var typingList = (JsonObject)rendered.Homeserver.DeepClone();
        typingList["stream_writers"]!["typing"] = new JsonArray("typing-1", "main");
        Assert.Equal(["/stream_writers/typing"], validator.Validate(typingList).Select(e => e.Path).Distinct());

        var numbers = (JsonObject)rendered.Homeserver.DeepClone();
        numbers["stream_writers"]!["events"] = new JsonArray(1, 2);
        Assert.Equal(["/stream_writers/events/0", "/stream_writers/events/1"], validator.Validate(numbers).Select(e => e.Path).Distinct());
    }

    [Fact]
    public void AMisspeltOptionInAWorkerFileFailsStrictValidation()
    {
        var rendered = RenderedSynapse.Of(StackPresets.Specialized);
        var worker = rendered.Workers.Keys.First();
        var merged = rendered.Merged(worker);
        merged["worker_listener"] = merged["worker_listeners"]!.DeepClone();
        Assert.Equal(["/worker_listener"], SynapseConfigSchema.WithOverlaysValidator().Validate(merged).Select(e => e.Path).Distinct());
    }
}
