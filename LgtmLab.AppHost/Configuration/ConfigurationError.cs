namespace LgtmLab.AppHost.Configuration;

/// <summary>One problem in the <c>Lab</c> configuration: where, what, and how to fix it.</summary>
/// <param name="Key">The configuration key, e.g. <c>Lab:Remotes:1:PodSubnet</c>.</param>
internal sealed record ConfigurationError(string Key, string Problem, string Fix)
{
    public override string ToString() => $"{Key}: {Problem}. Fix: {Fix}.";
}

/// <summary>The lab configuration is invalid; nothing was created. The message lists every problem.</summary>
internal sealed class LabConfigurationException(IReadOnlyList<ConfigurationError> errors)
    : Exception("Invalid lab configuration (nothing was created):" + Environment.NewLine
        + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
{
    public IReadOnlyList<ConfigurationError> Errors { get; } = errors;
}
