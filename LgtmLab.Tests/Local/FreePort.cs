using System.Net;
using System.Net.Sockets;

namespace LgtmLab.Tests.Local;

internal static class FreePort
{
    /// <summary>A loopback port the OS just handed out and released, for a child process that takes a port number.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
