using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LgtmLab.TnsSample.Roles.Db;

/// <summary>The db role: an in-memory link store with a scheduled fault window and a manual fail switch.</summary>
internal static class DbRole
{
    /// <summary>Configuration key of the fault window mode: schedule (default), always or never.</summary>
    public const string FaultWindowKey = "Tns:Db:FaultWindow";

    public static void AddDb(this WebApplicationBuilder builder)
    {
        var modeText = builder.Configuration[FaultWindowKey];
        if (!Enum.TryParse<FaultWindowMode>(string.IsNullOrEmpty(modeText) ? nameof(FaultWindowMode.Schedule) : modeText, ignoreCase: true, out var mode)
            || !Enum.IsDefined(mode))
            throw new InvalidOperationException($"{FaultWindowKey} is '{modeText}': use schedule, always or never (env Tns__Db__FaultWindow).");

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(Random.Shared);
        builder.Services.AddSingleton(sp => new FaultWindow(mode, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Random>()));
        builder.Services.AddSingleton<LinkStore>();
        builder.Services.AddSingleton<DbMetrics>();
        builder.Services.AddSingleton<DbHandlers>();
    }

    public static void MapDb(this WebApplication app)
    {
        var handlers = app.Services.GetRequiredService<DbHandlers>();
        app.Map("/", handlers.Fetch);
        app.Map("/fail", handlers.Fail);
        app.Map("/post", handlers.Post);
        app.Map("/vote", handlers.Vote);
    }
}
