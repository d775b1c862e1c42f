namespace LgtmLab.Tests.Tns;

/// <summary>A db (fault window off, so results do not depend on the wall clock) and an app in front of it.</summary>
public sealed class TnsStack : IAsyncLifetime
{
    internal TnsProcess Db { get; private set; } = null!;

    internal TnsProcess App { get; private set; } = null!;

    /// <summary>A client that does not follow redirects, so 302s can be checked.</summary>
    public HttpClient Http { get; } = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(20) };

    public static IReadOnlyDictionary<string, string> NoFaults { get; } = new Dictionary<string, string> { ["Tns__Db__FaultWindow"] = "never" };

    public async Task InitializeAsync()
    {
        Db = await TnsProcess.StartAsync("db", env: NoFaults);
        App = await TnsProcess.StartAsync("app", [Db.Url]);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await App.DisposeAsync();
        await Db.DisposeAsync();
    }
}
