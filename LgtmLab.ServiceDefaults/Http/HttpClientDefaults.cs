using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LgtmLab.ServiceDefaults.Http;

internal static class HttpClientDefaults
{
    /// <summary>
    /// Every HttpClient from the factory resolves Aspire service names (<c>http://tns-db</c> from
    /// <c>services__tns-db__http__0</c>; names without configuration pass through to DNS, as in Kubernetes)
    /// and gets the standard resilience handler. A client that must show failures as they are removes it with
    /// <c>RemoveAllResilienceHandlers()</c>.
    /// </summary>
    public static void AddDefaultHttpClients(this IHostApplicationBuilder builder)
    {
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
    }
}
