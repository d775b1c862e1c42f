using LgtmLab.TnsSample.Http;
using LgtmLab.TnsSample.Logging;

namespace LgtmLab.TnsSample.Roles.Loadgen;

/// <summary>The loadgen role: no routes of its own (only /metrics and health), load against the first app URL.</summary>
internal static class LoadgenRole
{
    public static void AddLoadgen(this WebApplicationBuilder builder, IReadOnlyList<Uri> appUrls)
    {
        builder.Services.AddHostedService(sp => new LoadGenerator(
            appUrls[0], sp.GetRequiredService<TnsHttpClient>(), sp.GetRequiredService<ILoggerFactory>()));
    }

    public static void MapLoadgen(this WebApplication app, IReadOnlyList<Uri> appUrls) =>
        app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(TnsLog.Category)
            .Logfmt(LogLevel.Information, ("msg", "peer(s)"), ("num", appUrls.Count));
}
