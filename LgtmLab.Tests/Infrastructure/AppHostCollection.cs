namespace LgtmLab.Tests.Infrastructure;

/// <summary>
/// Tests that start a whole AppHost (DCP, several processes) share this collection so they run one at a
/// time: on a 2-core machine concurrent AppHosts starve each other into timeouts.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AppHostCollection
{
    public const string Name = "AppHost";
}
