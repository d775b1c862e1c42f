using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using LgtmLab.AppHost.Pki;
using Microsoft.Extensions.Logging.Abstractions;

namespace PkiTiming;

/// <summary>
/// What the lab's PKI costs a run: a first run makes the Linkerd trust anchor, two issuers, the lab CA and
/// Grafana's certificate and writes them (fsync included); every later run reads and checks them.
/// ColdStart: a new process per measurement, so JIT and crypto-library start-up are included.
/// </summary>
[SimpleJob(RunStrategy.ColdStart, launchCount: 5, iterationCount: 1, id: "FirstCallInAProcess")]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 3, iterationCount: 30, id: "Steady")]
[MemoryDiagnoser]
public class PkiBenchmarks
{
    private string _fresh = "";
    private string _existing = "";

    [GlobalSetup]
    public void MakeExistingLab()
    {
        _existing = NewDirectory();
        CreateEverything(_existing);
    }

    [GlobalCleanup]
    public void RemoveExistingLab() => Directory.Delete(_existing, recursive: true);

    [IterationSetup(Target = nameof(FirstRun))]
    public void NewState() => _fresh = NewDirectory();

    [IterationCleanup(Target = nameof(FirstRun))]
    public void RemoveState() => Directory.Delete(_fresh, recursive: true);

    /// <summary>Anchor + issuers for lgtm-central and lgtm-remote + lab CA + Grafana certificate, made and stored.</summary>
    [Benchmark(Baseline = true)]
    public void FirstRun() => CreateEverything(_fresh);

    /// <summary>The same calls on a state folder that already has everything: read, validated, reused.</summary>
    [Benchmark]
    public void LaterRun() => CreateEverything(_existing);

    private static void CreateEverything(string state)
    {
        var linkerd = new LinkerdPki(state);
        linkerd.EnsureIdentity("lgtm-central", NullLogger.Instance);
        linkerd.EnsureIdentity("lgtm-remote", NullLogger.Instance);
        new LabCertificateAuthority(state).EnsureGrafanaCertificate(NullLogger.Instance);
    }

    private static string NewDirectory() => Path.Combine(Path.GetTempPath(), $"lgtmlab-pki-bench-{Guid.NewGuid():N}");
}
