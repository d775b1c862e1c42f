using System.Text.Json.Nodes;
using LgtmLab.AppHost.Tools;
using LgtmLab.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// The outputs of helm the product parses, printed by the fake and by real helm v4.1.4 for the same releases: real
/// helm lists the release Secrets the fake helm wrote into the fake API server (helm v4.1.4's default storage
/// driver, pkg/storage/driver/secrets.go: Secrets labelled owner=helm, data.release = base64(gzip(JSON))).
/// </summary>
public sealed class HelmOutputsMatchRealHelmTests : IAsyncLifetime
{
    private const string Context = "kind-lgtm-central";
    private const string Namespace = "lab";
    private FakeToolbox _toolbox = null!;

    public async Task InitializeAsync()
    {
        _toolbox = FakeToolbox.Create();
        Assert.Equal(0, (await _toolbox.RunAsync("kind", "create", "cluster", "--name", "lgtm-central")).ExitCode);
    }

    public async Task DisposeAsync() => await _toolbox.DisposeAsync();

    private Task<FakeRunResult> RealHelm(params string[] args) => RealToolProcess.RunAsync("helm", args, RealHelmEnvironment());

    private Dictionary<string, string?> RealHelmEnvironment()
    {
        var home = Path.Combine(_toolbox.StateDirectory, "real-helm-home");
        Directory.CreateDirectory(home);
        return new() { ["HOME"] = home, ["KUBECONFIG"] = _toolbox.KubeconfigPath };
    }

    [RequiresRealToolFact("helm")]
    public async Task List_json_is_what_real_helm_prints_for_deployed_superseded_failed_and_pending_releases()
    {
        await WriteReleasesInEveryStateAsync();
        string[] list = ["list", "--namespace", Namespace, "--kube-context", Context, "-o", "json"];

        var real = await RealHelm(list);
        var fake = await _toolbox.RunAsync("helm", list);

        Assert.Equal((0, ""), (real.ExitCode, real.Stderr));
        Assert.Equal((0, real.Stdout), (fake.ExitCode, fake.Stdout));
        var rows = JsonNode.Parse(real.Stdout)!.AsArray().Select(r => ((string?)r!["name"], (string?)r["revision"], (string?)r["status"])).ToList();
        Assert.Equal([("grafana", "1", "pending-install"), ("linkerd-control-plane", "1", "failed"), ("loki", "2", "pending-upgrade"), ("metallb", "2", "deployed")], rows);
    }

    [RequiresRealToolFact("helm")]
    public async Task List_json_of_all_namespaces_and_of_an_empty_namespace_is_what_real_helm_prints()
    {
        await WriteReleasesInEveryStateAsync();

        foreach (string[] list in new[]
        {
            new[] { "list", "--all-namespaces", "--kube-context", Context, "-o", "json" },
            ["list", "--namespace", "empty", "--kube-context", Context, "-o", "json"],
        })
        {
            var real = await RealHelm(list);
            var fake = await _toolbox.RunAsync("helm", list);
            Assert.Equal((0, real.Stdout, real.Stderr), (fake.ExitCode, fake.Stdout, fake.Stderr));
        }
    }

    [RequiresRealToolFact("helm")]
    public async Task The_version_template_prints_what_real_helm_prints()
    {
        string[] version = ["version", "--template", "{{.Version}} {{.GitCommit}} {{.GitTreeState}} {{.GoVersion}} {{.KubeClientVersion}}"];

        var real = await RealHelm(version);
        var fake = await _toolbox.RunAsync("helm", version);

        Assert.Equal((0, real.Stdout), (fake.ExitCode, fake.Stdout));
        Assert.StartsWith(_toolbox.Versions.Tool("helm").Version + " ", real.Stdout, StringComparison.Ordinal);
    }

    [RequiresRealToolFact("helm")]
    public async Task The_product_reading_real_helm_sees_pending_and_failed_releases()
    {
        await WriteReleasesInEveryStateAsync();
        var helmFolder = Path.GetDirectoryName(RealTools.Find("helm"))!;
        var helm = new Helm(new ToolRunner(new PathToolLocator(helmFolder), RealHelmEnvironment()));

        var releases = await helm.ListAsync(Namespace, Context, NullLogger.Instance, CancellationToken.None);

        Assert.Equal(
            [new("grafana", Namespace, "1", "pending-install", "grafana-12.11.1", "12.11.1"), new("linkerd-control-plane", Namespace, "1", "failed", "linkerd-control-plane-2026.8.3", "2026.8.3"),
                new("loki", Namespace, "2", "pending-upgrade", "loki-18.11.0", "18.11.0"), new HelmRelease("metallb", Namespace, "2", "deployed", "metallb-0.16.1", "v0.16.1")],
            releases);
    }

    /// <summary>
    /// With the fake helm, in namespace "lab": metallb upgraded (1 superseded, 2 deployed), linkerd-control-plane failed (its
    /// --wait timed out on its Deployments), grafana killed while installing (pending-install), loki killed while upgrading (1 deployed,
    /// 2 pending-upgrade); tempo deployed in namespace "other".
    /// </summary>
    private async Task WriteReleasesInEveryStateAsync()
    {
        Assert.Equal(0, (await Install("metallb", "metallb", "https://metallb.github.io/metallb", "0.16.1")).ExitCode);
        Assert.Equal(0, (await Install("metallb", "metallb", "https://metallb.github.io/metallb", "0.16.1")).ExitCode);
        Assert.Equal(0, (await Install("loki", "loki", "https://grafana-community.github.io/helm-charts", "18.11.0")).ExitCode);
        Assert.Equal(0, (await Install("tempo", "tempo", "https://grafana-community.github.io/helm-charts", "2.2.4", "other")).ExitCode);
        var api = _toolbox.Cluster("lgtm-central")!.Api!;
        api.HoldWorkloadsNotReady = true;
        Assert.Equal(1, (await Install("linkerd-control-plane", "linkerd-control-plane", "https://helm.linkerd.io/edge", "2026.8.3", timeout: "2s")).ExitCode);
        api.HoldWorkloadsNotReady = false;
        await KilledWhileRunning("grafana", "grafana", "https://grafana-community.github.io/helm-charts", "12.11.1");
        await KilledWhileRunning("loki", "loki", "https://grafana-community.github.io/helm-charts", "18.11.0");
    }

    private Task<FakeRunResult> Install(string release, string chart, string repo, string version, string ns = Namespace, CancellationToken cancellationToken = default,
        string timeout = "5m") =>
        _toolbox.RunAsync("helm", ["upgrade", "--install", release, chart, "--repo", repo, "--version", version, "--namespace", ns, "--create-namespace",
            "--kube-context", Context, "--wait", "--timeout", timeout], null, cancellationToken);

    private async Task KilledWhileRunning(string release, string chart, string repo, string version)
    {
        var calls = _toolbox.Invocations.Count;
        _toolbox.AddLatency($"^helm upgrade --install {release} ", TimeSpan.FromSeconds(30));
        using var kill = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Install(release, chart, repo, version, cancellationToken: kill.Token));
        await FakeToolboxTests.WaitUntil(() => _toolbox.Invocations.Count > calls);
        _toolbox.ClearLatencies();
    }
}
