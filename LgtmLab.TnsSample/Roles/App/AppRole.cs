using LgtmLab.TnsSample.Logging;

namespace LgtmLab.TnsSample.Roles.App;

/// <summary>The app role: the "Grafana News" page in front of one or more dbs.</summary>
internal static class AppRole
{
    public static void AddApp(this WebApplicationBuilder builder, IReadOnlyList<Uri> dbUrls)
    {
        builder.Services.AddSingleton(new DbPeers(dbUrls));
        builder.Services.AddSingleton<AppHandlers>();
        builder.Services.AddHttpClient(DbReachableHealthCheck.ClientName);
        builder.Services.AddHealthChecks().AddCheck<DbReachableHealthCheck>("db");
    }

    public static void MapApp(this WebApplication app)
    {
        var handlers = app.Services.GetRequiredService<AppHandlers>();
        app.Map("/", handlers.Index);
        app.Map("/post", handlers.Post);
        app.Map("/vote", handlers.Vote);

        // TNS's startup line, with its odd key and no msg.
        app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(TnsLog.Category)
            .Logfmt(LogLevel.Information, ("database(s)", app.Services.GetRequiredService<DbPeers>().Count));
    }
}
