namespace Matrix.Stack.Wiring;

/// <summary>One environment variable a component gets (<c>Router__Pools__main__main</c>), with where its value comes from.</summary>
public sealed record WiredVariable(string Name, WiringValue Value);
