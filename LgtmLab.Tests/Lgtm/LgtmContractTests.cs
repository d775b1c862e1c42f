using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace LgtmLab.Tests.Lgtm;

/// <summary>The LGTM part on the real engine, CliWrap runner and KubernetesClient against the fake tools and API servers.</summary>
public sealed class LgtmContractTests(ITestOutputHelper output) : IAsyncLifetime
{
    private LgtmContractLab _lab = null!;

    public Task InitializeAsync()
    {
        _lab = LgtmContractLab.Create();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    private static readonly string[] CentralReleases = ["metallb", "traefik", "loki", "tempo", "grafana", "prometheus", "alloy"];

    [Fact]
    public async Task A_cold_run_installs_the_stack_on_central_and_the_agents_on_the_remote_in_order()
    {
        var outcomes = await _lab.RunAsync();

        LgtmContractLab.AllSucceeded(outcomes);
        var central = _lab.Central;
        var remote = _lab.Toolbox.Cluster("lgtm-remote")!;
        Assert.Equal(CentralReleases.Order(), central.Releases.Select(r => r.Name).Order());
        Assert.Equal(["alloy", "metallb", "prometheus"], remote.Releases.Select(r => r.Name).Order());
        Assert.All(central.Releases.Concat(remote.Releases), r => Assert.Equal("deployed", r.Status));
        Assert.Equal(
            [("alloy", "observability"), ("grafana", "observability"), ("loki", "loki"), ("metallb", "metallb-system"),
             ("prometheus", "observability"), ("tempo", "tempo"), ("traefik", "traefik")],
            central.Releases.Select(r => (r.Name, r.Namespace)).Order());
        Assert.NotNull(central.Api!.Get("apps/v1", "StatefulSet", "mimir", "mimir"));
        Assert.NotNull(central.Api.Get("v1", "ConfigMap", "mimir", "mimir-config"));

        var mutating = _lab.Toolbox.Mutating.Select(i => i.CommandLine).ToList();
        int At(string pattern) => mutating.FindIndex(m => m.Contains(pattern, StringComparison.Ordinal));
        foreach (var cluster in new[] { "lgtm-central", "lgtm-remote" })
        {
            var namespaces = At($"kind-{cluster} apply --server-side --field-manager lgtmlab -f {Path.Combine(_lab.Lab.StateDirectory, "clusters", cluster, "manifests", "lgtm-namespaces.yaml")}");
            Assert.True(namespaces >= 0, string.Join("\n", mutating));
            Assert.True(namespaces > At($"kind create cluster --name {cluster}"));
            foreach (var release in new[] { "prometheus", "alloy" })
                Assert.True(mutating.FindIndex(m => m.Contains($"helm upgrade --install {release} {release} ", StringComparison.Ordinal)
                    && m.Contains($"--kube-context kind-{cluster}", StringComparison.Ordinal)) > namespaces, $"{release} before the namespaces on {cluster}");
        }
        Assert.True(At("helm upgrade --install traefik") > At("kind-lgtm-central apply --server-side --field-manager lgtmlab -f " + Path.Combine(_lab.Lab.StateDirectory, "clusters", "lgtm-central", "manifests", "metallb-pool.yaml")));
        Assert.True(At("mimir.yaml") > At("config.yaml"), "Mimir before its configuration");

        output.WriteLine($"cold run: {_lab.Toolbox.Invocations.Count} commands ({_lab.Toolbox.Mutating.Count} mutating), " +
            $"{_lab.Toolbox.Clusters.Sum(c => c.Api!.Requests.Count)} API requests ({_lab.Toolbox.Clusters.Sum(c => c.Api!.MutatingRequests.Count)} mutating)");
    }

    [Fact]
    public async Task A_warm_run_changes_nothing()
    {
        LgtmContractLab.AllSucceeded(await _lab.RunAsync());
        _lab.Toolbox.ClearJournal();
        var apiRequestsBefore = _lab.Toolbox.Clusters.Sum(c => c.Api!.Requests.Count);
        var start = DateTimeOffset.UtcNow;

        var outcomes = await _lab.RunAsync();

        LgtmContractLab.AllSucceeded(outcomes);
        Assert.Empty(_lab.Toolbox.Mutating);
        Assert.All(_lab.Toolbox.Clusters, c => Assert.DoesNotContain(c.Api!.MutatingRequests, r => r.At >= start));
        Assert.All(outcomes.Values, o => Assert.Equal("Up to date", o.Message));
        output.WriteLine($"warm run: {_lab.Toolbox.Invocations.Count} commands (0 mutating), " +
            $"{_lab.Toolbox.Clusters.Sum(c => c.Api!.Requests.Count) - apiRequestsBefore} API requests (0 mutating)");
    }

    [Fact]
    public async Task Changing_one_values_file_upgrades_only_that_release()
    {
        LgtmContractLab.AllSucceeded(await _lab.RunAsync());
        var file = Path.Combine(_lab.Lab.AssetsDirectory, "helm", "loki.yaml");
        File.WriteAllText(file, File.ReadAllText(file).Replace("retention_period: 72h", "retention_period: 48h", StringComparison.Ordinal));
        _lab.Toolbox.ClearJournal();

        var outcomes = await _lab.RunAsync();

        LgtmContractLab.AllSucceeded(outcomes);
        var change = Assert.Single(_lab.Toolbox.Mutating);
        Assert.StartsWith("helm upgrade --install loki loki ", change.CommandLine, StringComparison.Ordinal);
        Assert.Contains("--kube-context kind-lgtm-central", change.CommandLine, StringComparison.Ordinal);
        Assert.Equal(["lgtm-central/loki"], outcomes.Values.Where(o => o.Applied).Select(o => o.StepId));
        Assert.Equal("48h", (string?)_lab.Central.Releases.Single(r => r.Name == "loki").Values!["loki"]!["limits_config"]!["retention_period"]);
    }

    [Fact]
    public async Task Changing_mimirs_configuration_rolls_mimir()
    {
        LgtmContractLab.AllSucceeded(await _lab.RunAsync());
        var hashBefore = MimirConfigHash();
        var file = Path.Combine(_lab.Lab.AssetsDirectory, "manifests", "mimir", "config.yaml");
        File.WriteAllText(file, File.ReadAllText(file).Replace("log_level: info", "log_level: debug", StringComparison.Ordinal));
        _lab.Toolbox.ClearJournal();

        LgtmContractLab.AllSucceeded(await _lab.RunAsync());

        Assert.Equal(2, _lab.Toolbox.Mutating.Count);
        Assert.All(_lab.Toolbox.Mutating, m => Assert.Contains("kind-lgtm-central apply --server-side", m.CommandLine, StringComparison.Ordinal));
        Assert.NotEqual(hashBefore, MimirConfigHash());
        Assert.Contains("log_level: debug", (string?)_lab.Central.Api!.Get("v1", "ConfigMap", "mimir", "mimir-config")!["data"]!["mimir.yaml"], StringComparison.Ordinal);

        string? MimirConfigHash() =>
            (string?)_lab.Central.Api!.Get("apps/v1", "StatefulSet", "mimir", "mimir")!["spec"]!["template"]!["metadata"]!["annotations"]!["lgtmlab.io/config-hash"];
    }

    [Fact]
    public async Task Each_cluster_writes_under_its_own_tenant_remotes_through_the_mirrors()
    {
        LgtmContractLab.AllSucceeded(await _lab.RunAsync());

        AssertAgents(_lab.Central.Releases, "central", "mimir.mimir.svc.cluster.local");
        AssertAgents(_lab.Toolbox.Cluster("lgtm-remote")!.Releases, "lgtm-remote", "mimir-lgtm-central.mimir.svc.cluster.local");
        var datasources = Datasources(_lab.Central.Releases);
        Assert.Equal(9, datasources.Count);
        Assert.Equal(["central", "central", "central", "lgtm-remote", "lgtm-remote", "lgtm-remote", "central|lgtm-remote", "central|lgtm-remote", "central|lgtm-remote"],
            datasources.Select(d => (string?)d["secureJsonData"]!["httpHeaderValue1"]));
    }

    internal static void AssertAgents(IReadOnlyList<Fakes.FakeHelmRelease> releases, string tenant, string mimirHost)
    {
        var remoteWrite = releases.Single(r => r.Name == "prometheus").Values!["server"]!["remoteWrite"]!.AsArray().Single()!;
        Assert.Equal(tenant, (string?)remoteWrite["headers"]!["X-Scope-OrgID"]);
        Assert.Equal($"http://{mimirHost}:8080/api/v1/push", (string?)remoteWrite["url"]);
        var pipeline = (string?)releases.Single(r => r.Name == "alloy").Values!["alloy"]!["configMap"]!["content"];
        Assert.Contains($"tenant_id = \"{tenant}\"", pipeline, StringComparison.Ordinal);
    }

    internal static IReadOnlyList<JsonNode> Datasources(IReadOnlyList<Fakes.FakeHelmRelease> releases) =>
        [.. releases.Single(r => r.Name == "grafana").Values!["datasources"]!["datasources.yaml"]!["datasources"]!.AsArray().Select(d => d!)];
}
