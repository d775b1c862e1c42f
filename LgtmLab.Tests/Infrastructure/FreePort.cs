using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LgtmLab.Tests.Infrastructure;

/// <summary>
/// A loopback port the OS just handed out and released: nothing listens on it (connecting is refused) until
/// a test or a child process binds it.
/// </summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The same, as configuration text.</summary>
    public static string NextText() => Next().ToString(CultureInfo.InvariantCulture);
}
