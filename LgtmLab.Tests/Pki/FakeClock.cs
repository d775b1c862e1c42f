namespace LgtmLab.Tests.Pki;

/// <summary>A clock the test moves by hand, for validity and expiry-warning tests.</summary>
internal sealed class FakeClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
