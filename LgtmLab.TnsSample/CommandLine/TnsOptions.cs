using System.Net;

namespace LgtmLab.TnsSample.CommandLine;

/// <summary>What the command line asked for.</summary>
/// <param name="Role">db, app or loadgen.</param>
/// <param name="ListenPort">From <c>-server.http-listen-port</c>; <see langword="null"/> leaves the address to
/// ASP.NET's configuration (ASPNETCORE_URLS, HTTP_PORTS, launch settings: how Aspire assigns ports).</param>
/// <param name="ListenAddress">From <c>-server.http-listen-address</c> (weaveworks' flag); all interfaces when
/// <see langword="null"/>.</param>
/// <param name="LogLevel">From <c>-log.level</c>.</param>
/// <param name="Peers">The downstream URLs: db URLs for app, app URLs for loadgen.</param>
internal sealed record TnsOptions(TnsRole Role, int? ListenPort, IPAddress? ListenAddress, LogLevel LogLevel, IReadOnlyList<Uri> Peers)
{
    /// <summary>The OpenTelemetry service name TNS gives each role (loadgen calls itself "lb").</summary>
    public string ServiceName => Role switch
    {
        TnsRole.Db => "db",
        TnsRole.App => "app",
        _ => "lb",
    };
}
