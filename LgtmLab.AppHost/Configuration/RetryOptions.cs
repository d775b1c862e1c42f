namespace LgtmLab.AppHost.Configuration;

/// <summary>The <c>Lab:Retry</c> section: back-off for transient failures (tests shrink the delays).</summary>
internal sealed class RetryOptions
{
    /// <summary>Attempts per step, the first included.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Delay before the first retry; doubles for each further one, with jitter.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Upper bound for one back-off delay.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a Verify polls for readiness (a LoadBalancer address, an API server).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a Verify waits for readiness before it fails the attempt.</summary>
    public TimeSpan ReadyTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// The most time one step may take to become ready, all attempts together. Unset (the default), each step has its
    /// own: a Helm release its wait timeout (5 min; the Linkerd control plane 10 min), any other step 10 min; set, it is
    /// every step's (longer for a slow machine or network, seconds in tests). Helm's <c>--timeout</c> gets what is left
    /// of it and no attempt starts once it is spent.
    /// </summary>
    public TimeSpan? ReadyBudget { get; set; }
}
