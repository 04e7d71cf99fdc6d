using Matrix.Stack.Layout;
using Matrix.Stack.Validation;

namespace Matrix.Stack.Model;

/// <summary>A validated deployment: the options and the Synapse processes they describe.</summary>
public sealed class MatrixDeployment
{
    private MatrixDeployment(StackOptions options, SynapseLayout layout)
    {
        Options = options;
        Layout = layout;
    }

    public StackOptions Options { get; }

    public SynapseLayout Layout { get; }

    /// <summary>Validates (secrets aside) and throws <see cref="StackValidationException"/> naming every problem.</summary>
    public static MatrixDeployment Create(StackOptions options, SynapseHosting hosting = SynapseHosting.ProcessHosts)
    {
        StackValidator.EnsureValid(options);
        return new MatrixDeployment(options, SynapseLayout.Create(options, hosting));
    }
}
