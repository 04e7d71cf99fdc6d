using Matrix.Stack.Model;
using Matrix.Stack.Presets;

namespace Matrix.Tests.Stack.Synapse;

/// <summary>
/// The deployments the Synapse tests render: every preset as it is, plus variants that take the other branches
/// (processes sharing one host, optional components off, registration on, a chosen media jobs instance).
/// </summary>
public static class SynapseTestLayouts
{
    public const string LargeSharedHost = "large (shared localhost, media jobs on media-repository-2, storage class)";
    public const string FullWithoutOptionalComponents = "full (no S3, coturn, LiveKit or metrics; registration on)";

    public static TheoryData<string> Names
    {
        get
        {
            var names = new TheoryData<string>();
            foreach (var name in StackPresets.Names.Append(LargeSharedHost).Append(FullWithoutOptionalComponents))
            {
                names.Add(name);
            }
            return names;
        }
    }

    public static StackOptions Create(string name)
    {
        switch (name)
        {
            case LargeSharedHost:
            {
                var options = StackPresets.Create(StackPresets.Large);
                options.Synapse.InstanceHost = "localhost";
                options.Synapse.MediaBackgroundJobsInstance = "media-repository-2";
                options.S3.StorageClass = "STANDARD_IA";
                options.S3.Prefix = "media/";
                return options;
            }
            case FullWithoutOptionalComponents:
            {
                var options = StackPresets.Create(StackPresets.Full);
                options.S3.Enabled = false;
                options.Coturn.Enabled = false;
                options.LiveKit.Enabled = false;
                options.Synapse.EnableMetrics = false;
                options.Synapse.EnableRegistration = true;
                return options;
            }
            default:
                return StackPresets.Create(name);
        }
    }
}
