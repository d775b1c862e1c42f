namespace LgtmLab.AppHost.Provisioning;

/// <summary>Waits for a read-only condition, tolerating transient errors while it waits.</summary>
internal static class Poll
{
    /// <summary>
    /// Evaluates <paramref name="condition"/> every <paramref name="interval"/> until it yields a non-null value;
    /// after <paramref name="timeout"/> throws a <see cref="TransientStepException"/> saying what was awaited.
    /// </summary>
    public static async Task<T> UntilAsync<T>(Func<CancellationToken, Task<T?>> condition, TimeSpan interval, TimeSpan timeout,
        string awaited, CancellationToken cancellationToken) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (true)
        {
            try
            {
                if (await condition(cancellationToken).ConfigureAwait(false) is { } value) return value;
                last = null;
            }
            catch (Exception e) when (StepFailures.IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                last = e;
            }
            if (DateTime.UtcNow >= deadline)
                throw new TransientStepException($"{awaited} after {timeout.TotalSeconds:0} s" + (last is null ? "" : $" (last error: {last.Message})"), last);
            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }
    }
}
