using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Lgtm;
using LgtmLab.AppHost.Observability;

namespace LgtmLab.Tests.Observability;

/// <summary>
/// What the lab deploys for the Alloy pipeline, Grafana's data sources, the namespaces and the memory budget,
/// compared with files captured from the C# generators that the lab-assets templates replaced: moving them to
/// lab-assets changed nothing a lab already runs (no fingerprint changes, no re-install on upgrade).
/// </summary>
public sealed class TodaysOutputTests
{
    private static readonly LabOptions TwoRemotes = new()
    {
        Remotes = [new ClusterOptions { Name = "lgtm-remote" }, new ClusterOptions { Name = "edge-1", Tenant = "t1" }],
    };

    private static readonly LabOptions OddTenants = new()
    {
        Remotes =
        [
            new ClusterOptions { Name = "a", Tenant = "team.alpha(prod)" },
            new ClusterOptions { Name = "b", Tenant = new string('x', 60) + "1" },
        ],
    };

    public static TheoryData<string> Cases() => new(Outputs().Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Output_is_what_the_csharp_generators_wrote(string name)
    {
        var file = Path.Combine(LabAssets.RepoRoot, "LgtmLab.Tests", "Observability", "TodaysOutput", name);
        var actual = Outputs()[name]();
        Assert.Equal(File.ReadAllText(file), actual);
    }

    private static Dictionary<string, Func<string>> Outputs()
    {
        var lab = new LabOptions();
        return new()
        {
            ["alloy-lgtm-central.yaml"] = () => AlloyValues.For(lab.Central, lab.Central, LabAssets.Product),
            ["alloy-lgtm-remote.yaml"] = () => AlloyValues.For(lab.EffectiveRemotes[0], lab.Central, LabAssets.Product),
            ["alloy-edge-1.yaml"] = () => AlloyValues.For(TwoRemotes.EffectiveRemotes[1], TwoRemotes.Central, LabAssets.Product),
            ["datasources-default.yaml"] = () => Datasources(lab),
            ["datasources-two-remotes.yaml"] = () => Datasources(TwoRemotes),
            ["datasources-odd-tenants.yaml"] = () => Datasources(OddTenants),
            ["namespaces-lgtm-central.yaml"] = () => Namespaces(lab.Central, lab.Central, LgtmService.Exported.Select(s => s.Namespace).ToHashSet()),
            ["namespaces-lgtm-remote.yaml"] = () => Namespaces(lab.EffectiveRemotes[0], lab.Central, ObservabilityNamespaces.For(lab.EffectiveRemotes[0], lab.Central).ToHashSet()),
            ["namespaces-unmeshed.yaml"] = () => Namespaces(lab.Central, lab.Central, new HashSet<string>()),
            ["memory-budget.txt"] = () => Budget(),
        };
    }

    private static string Datasources(LabOptions lab) =>
        ValuesYaml.Write("datasources", GrafanaDatasources.ProvisioningDocument(lab, LabAssets.Product));

    private static string Namespaces(ClusterOptions cluster, ClusterOptions central, HashSet<string> meshed) =>
        NamespacesStep.Render(LabAssets.Product, ObservabilityNamespaces.For(cluster, central), meshed);

    private static string Budget()
    {
        var budget = MemoryBudget.Load(LabAssets.Product);
        var lines = budget.Items.Select(i => $"{i.Scope} | {i.Component} | {i.Container} | {i.RequestMiB} | {i.LimitMiB} | {i.ValuesFile} | {i.ResourcesPath} | {i.EstimateBasis}");
        var three = new LabOptions { Remotes = [new() { Name = "r1" }, new() { Name = "r2" }, new() { Name = "r3" }] };
        var totals = new[] { new LabOptions(), three, new LabOptions { Components = new ComponentOptions { Linkerd = false } } }
            .Select(l => $"total {l.EffectiveRemotes.Count} remotes linkerd={l.Components.Linkerd}: request {budget.TotalRequestMiB(l)} limit {budget.TotalLimitMiB(l)}");
        return string.Join('\n', lines.Concat(totals)) + "\n";
    }
}
