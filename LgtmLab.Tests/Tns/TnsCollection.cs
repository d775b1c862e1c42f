namespace LgtmLab.Tests.Tns;

/// <summary>
/// The TNS process tests run one at a time and share one db + app pair: on two cores, parallel process
/// starts and load would make timings meaningless.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TnsCollection : ICollectionFixture<TnsStack>
{
    public const string Name = "TNS processes";
}
