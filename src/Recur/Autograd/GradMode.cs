namespace Recur.Autograd;

/// <summary>Turns recording of ops on and off for the current thread.</summary>
public static class GradMode
{
    [ThreadStatic] private static int t_disabledDepth;

    /// <summary>False inside a <see cref="NoGrad"/> scope.</summary>
    public static bool IsEnabled => t_disabledDepth == 0;

    /// <summary>A scope in which ops are computed without being recorded: <c>using (GradMode.NoGrad()) { ... }</c>.</summary>
    public static NoGradScope NoGrad()
    {
        t_disabledDepth++;
        return new NoGradScope(true);
    }

    /// <summary>Ends a no-grad scope.</summary>
    public readonly struct NoGradScope(bool active) : IDisposable
    {
        /// <inheritdoc/>
        public void Dispose()
        {
            if (active) t_disabledDepth--;
        }
    }
}
