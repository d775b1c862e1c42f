using System.Net;
using System.Net.Sockets;

namespace LgtmLab.Tests.Tns;

public static class FreePort
{
    /// <summary>A loopback port nothing listens on (bound and released: connecting to it is refused).</summary>
    public static int Closed()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
