using System.Text.Json.Nodes;
using LgtmLab.AppHost.Provisioning;
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
                Assert.True(At($"helm upgrade --install {release} {release} ") > namespaces, $"{release} before the namespaces on {cluster}");
        }
        Assert.True(At("helm upgrade --install traefik") > At("kind-lgtm-central apply --server-side --field-manager lgtmlab -f " + Path.Combine(_lab.Lab.StateDirectory, "clusters", "lgtm-central", "manifests", "metallb-pool.yaml")));
        Assert.True(At("mimir.yaml") > At("config.yaml"), "Mimir before its configuration");

        output.WriteLine($"cold run: {_lab.Toolbox.Invocations.Count} commands ({_lab.Toolbox.Mutating.Count} mutating), " +
            $"{_lab.Toolbox.Clusters.Sum(c => c.Api!.Requests.Count)} API requests ({_lab.Toolbox.Clusters.Sum(c => c.Api!.MutatingRequests.Count)} mutating)");
    }
}
