using System.Globalization;

namespace LgtmLab.Tests.Infrastructure;

/// <summary>
/// A loopback port nothing listens on and no other test process will be handed (<see cref="PortAllocator"/>):
/// connecting is refused until the test or the child process it is meant for binds it.
/// </summary>
internal static class FreePort
{
    private static readonly PortAllocator Allocator = PortAllocator.ForThisMachine();

    public static int Next() => Allocator.Next();

    /// <summary>The same, as configuration text.</summary>
    public static string NextText() => Next().ToString(CultureInfo.InvariantCulture);
}
