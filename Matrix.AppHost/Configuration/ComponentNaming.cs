using Matrix.Stack.Validation;

namespace Matrix.AppHost.Configuration;

/// <summary>
/// A resource's name is the wiring model's name for its component (the host every generated file uses for it): a
/// builder given another name refuses, naming both, instead of modelling a resource nothing can reach.
/// </summary>
public static class ComponentNaming
{
    public static void Require(string name, string setting, string expected)
    {
        if (!string.Equals(name, expected, StringComparison.Ordinal))
        {
            throw new StackValidationException([new ValidationProblem(setting,
                $"the resource is named '{name}', but {setting} is '{expected}' (the host the generated files address): use the same name")]);
        }
    }
}
