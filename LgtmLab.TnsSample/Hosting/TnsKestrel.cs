using System.Net;
using LgtmLab.TnsSample.CommandLine;
using LgtmLab.TnsSample.Http;
using LgtmLab.TnsSample.Telemetry;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace LgtmLab.TnsSample.Hosting;

internal static class TnsKestrel
{
    /// <summary>
    /// Listens on <c>-server.http-listen-port</c> when given (all interfaces, as TNS), else where ASP.NET's
    /// configuration says (Aspire). Bodies are capped at 10 MB; idle and header timeouts are weaveworks'
    /// (120 s, 30 s); connections are counted for <c>tns_tcp_connections</c>.
    /// </summary>
    public static void ConfigureTnsKestrel(this WebApplicationBuilder builder, TnsOptions options)
    {
        builder.Services.AddSingleton<TcpConnectionMetrics>();
        builder.Services.AddOptions<KestrelServerOptions>().Configure<TcpConnectionMetrics>((kestrel, connections) =>
        {
            kestrel.Limits.MaxRequestBodySize = GoForm.MaxBodyBytes;
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(120);
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(30);
            kestrel.ConfigureEndpointDefaults(listen => listen.Use(next => async connection =>
            {
                connections.Opened();
                try
                {
                    await next(connection);
                }
                finally
                {
                    connections.Closed();
                }
            }));
            if (options.ListenPort is { } port)
                kestrel.Listen(options.ListenAddress ?? IPAddress.Any, port);
        });
    }
}
