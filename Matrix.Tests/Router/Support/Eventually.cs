namespace Matrix.Tests.Router.Support;

/// <summary>Waits for a condition with a generous bound (a loaded 2-core machine is slow); never asserts on time.</summary>
public static class Eventually
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public static async Task HoldsAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited {Limit.TotalSeconds} s for {what}");
            }
            await Task.Delay(50);
        }
    }
}
