namespace LgtmLab.TnsSample.Roles.Db;

/// <summary>
/// db's scheduled outage: while the window is open, 90% of fetches fail (TNS's comment says 40%; its code,
/// <c>rand.Intn(10) &lt;= 8</c>, fails 90%), half with "too many open connections", half "query lock timeout".
/// </summary>
internal sealed class FaultWindow(FaultWindowMode mode, TimeProvider clock, Random random)
{
    public static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(50);

    public bool IsOpen => mode switch
    {
        FaultWindowMode.Always => true,
        FaultWindowMode.Never => false,
        _ => clock.GetUtcNow().ToUnixTimeSeconds() % (5 * 60) < 30,
    };

    /// <summary>The panic of this fetch, or <see langword="null"/> when it goes through.</summary>
    public string? NextFault()
    {
        if (!IsOpen || random.Next(10) > 8)
            return null;
        return random.Next(10) <= 4 ? "too many open connections" : "query lock timeout";
    }
}
