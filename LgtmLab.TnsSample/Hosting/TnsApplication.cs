using LgtmLab.TnsSample.CommandLine;
using LgtmLab.TnsSample.Http;
using LgtmLab.TnsSample.Roles.App;
using LgtmLab.TnsSample.Roles.Db;
using LgtmLab.TnsSample.Roles.Loadgen;
using LgtmLab.TnsSample.Telemetry;

namespace LgtmLab.TnsSample.Hosting;

/// <summary>Builds one TNS service: the parts every role shares (weaveworks' server skeleton) and its own.</summary>
internal static class TnsApplication
{
    public static WebApplication Build(TnsOptions options)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.AddTnsLogging(options.LogLevel);
        builder.ConfigureTnsKestrel(options);
        builder.AddServiceDefaults(options.ServiceName);
        builder.Services.AddTnsSpanNames();
        builder.Services.AddSingleton<RequestMetrics>();
        builder.Services.AddSingleton<InflightRequests>();
        builder.Services.AddSingleton<ClientMetrics>();
        // TNS's client shows failures as they happen: no retries, no circuit breaker.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental
        builder.Services.AddHttpClient<TnsHttpClient>(TnsHttpClient.Name).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001

        switch (options.Role)
        {
            case TnsRole.Db: builder.AddDb(); break;
            case TnsRole.App: builder.AddApp(options.Peers); break;
            case TnsRole.Loadgen: builder.AddLoadgen(options.Peers); break;
        }

        var app = builder.Build();
        app.UseRouting();
        app.UseMiddleware<TnsRequestMiddleware>();
        if (options.Role == TnsRole.Db)
            app.UseMiddleware<PanicRecoveryMiddleware>();
        app.UseMiddleware<NotFoundMiddleware>();

        switch (options.Role)
        {
            case TnsRole.Db: app.MapDb(); break;
            case TnsRole.App: app.MapApp(); break;
            case TnsRole.Loadgen: app.MapLoadgen(options.Peers); break;
        }
        app.MapDefaultEndpoints();
        return app;
    }
}
