using k8s;
using k8s.Models;
using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Observability;
using YamlDotNet.RepresentationModel;

namespace LgtmLab.Tests.Observability;

/// <summary>
/// The memory budget reads its set lines from lab-assets' values files and manifests (and says exactly what they
/// set), every container the stack sets resources for is in it, the default lab fits in 6 GiB, and
/// docs/memory-budget.md is its current rendering.
/// </summary>
public sealed class MemoryBudgetTests
{
    private const string DocPath = "docs/memory-budget.md";

    private static readonly MemoryBudget Budget = MemoryBudget.Load(LabAssets.Product);

    /// <summary>Resources in values files that are not in the budget, with why.</summary>
    private static readonly Dictionary<(string File, string Path), string> NotBudgeted = new()
    {
        [("helm/grafana.yaml", "downloadDashboards.resources")] = "an init container: it exits before Grafana starts, so it never adds to the pod's memory",
    };

    [Fact]
    public void Default_lab_fits_in_six_gib_of_docker_memory()
    {
        var total = Budget.TotalLimitMiB(new LabOptions());
        Assert.True(total <= MemoryBudget.DefaultLabLimitMiB, $"the default lab's limits sum to {total} MiB, over {MemoryBudget.DefaultLabLimitMiB} MiB");
        Assert.True(Budget.TotalRequestMiB(new LabOptions()) < total);
    }

    [Fact]
    public void Budget_follows_the_clusters_and_the_component_switches()
    {
        var one = Budget.TotalLimitMiB(new LabOptions());
        var perRemote = Budget.Items.Where(i => i.Scope == BudgetScope.EachRemote).Sum(i => i.LimitMiB);
        var three = new LabOptions { Remotes = [new() { Name = "r1" }, new() { Name = "r2" }, new() { Name = "r3" }] };
        Assert.Equal(one + 2 * perRemote, Budget.TotalLimitMiB(three));

        var withoutLgtm = new LabOptions { Components = new ComponentOptions { Lgtm = false } };
        Assert.DoesNotContain(Budget.For(withoutLgtm), r => r.Item.IsSetByLab);
        Assert.True(Budget.TotalLimitMiB(withoutLgtm) < one);
        var withoutLinkerd = new LabOptions { Components = new ComponentOptions { Linkerd = false } };
        Assert.DoesNotContain(Budget.For(withoutLinkerd), r => r.Item.Component.Contains("Linkerd", StringComparison.Ordinal));
    }

    public static TheoryData<int> SetItems() => new(
        Budget.Items.Select((item, index) => (item, index)).Where(x => x.item.IsSetByLab).Select(x => x.index));

    [Theory]
    [MemberData(nameof(SetItems))]
    public void Values_files_and_manifests_set_exactly_the_budgeted_resources(int index)
    {
        var item = Budget.Items[index];
        var (request, limit) = ResourcesOf(item.ValuesFile!, item.ResourcesPath!);
        Assert.True((item.RequestMiB, item.LimitMiB) == (request, limit),
            $"{item.Component} ({item.Container}): lab-assets/{item.ValuesFile} {item.ResourcesPath} says request {request} MiB / limit {limit} MiB, " +
            $"the budget read {item.RequestMiB}/{item.LimitMiB}.");
    }

    [Fact]
    public void Every_resources_block_the_stack_sets_is_in_the_budget()
    {
        var budgeted = Budget.Items.Where(i => i.IsSetByLab).Select(i => (i.ValuesFile!, i.ResourcesPath!)).ToHashSet();
        foreach (var file in LabAssets.ValuesFiles.Select(v => v.File).Distinct())
            foreach (var path in ResourcesPaths(LabAssets.LoadMapping(file), []))
                Assert.True(budgeted.Contains((file, path)) || NotBudgeted.ContainsKey((file, path)),
                    $"lab-assets/{file} sets {path} but MemoryBudget.cs has no line for it");

        var statefulSet = KubernetesYaml.LoadAllFromString(LabAssets.Read("manifests/mimir/mimir.yaml"), strict: true).OfType<V1StatefulSet>().Single();
        foreach (var container in statefulSet.Spec.Template.Spec.Containers)
            Assert.Contains(("manifests/mimir/mimir.yaml", $"StatefulSet/{statefulSet.Metadata.Name}/{container.Name}"), budgeted);
    }

    [Fact]
    public void A_limit_edited_in_lab_assets_is_what_the_budget_adds_up()
    {
        using var copy = new AssetsCopy();
        copy.Edit("helm/loki.yaml", "    limits:\n      memory: 384Mi", "    limits:\n      memory: 1Gi");
        copy.Edit("manifests/mimir/mimir.yaml", "memory: 384Mi", "memory: 512Mi");

        var edited = MemoryBudget.Load(copy.Assets);

        Assert.Equal(Budget.TotalLimitMiB(new LabOptions()) + (1024 - 384), edited.TotalLimitMiB(new LabOptions()));
        Assert.Equal(Budget.TotalRequestMiB(new LabOptions()) + (512 - 384), edited.TotalRequestMiB(new LabOptions()));
        Assert.Contains("| Loki | loki (single binary) | 192 | 1024 | set: `lab-assets/helm/loki.yaml` `singleBinary.resources` |", edited.ToMarkdown(new LabOptions()));
    }

    [Fact]
    public void A_values_file_without_the_budgeted_resources_names_the_file_and_where_it_looked()
    {
        using var copy = new AssetsCopy();
        copy.Edit("helm/tempo.yaml", "    limits:\n      memory: 384Mi\n", "");

        var error = Assert.Throws<InvalidDataException>(() => MemoryBudget.Load(copy.Assets));

        Assert.Contains(copy.Assets.PathOf("helm/tempo.yaml"), error.Message, StringComparison.Ordinal);
        Assert.Contains("tempo.resources", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A temporary copy of lab-assets' values files and Mimir manifest, to edit.</summary>
    private sealed class AssetsCopy : IDisposable
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "lgtmlab-budget-" + Guid.NewGuid().ToString("N"));

        public AssetsCopy()
        {
            foreach (var file in System.IO.Directory.EnumerateFiles(LabAssets.PathOf("helm"), "*.yaml", SearchOption.AllDirectories)
                .Append(LabAssets.PathOf("manifests/mimir/mimir.yaml")))
            {
                var target = Path.Combine(_directory, Path.GetRelativePath(LabAssets.Directory, file));
                System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }

        public AppHost.Configuration.LabAssets Assets => new(_directory);

        public void Edit(string relative, string from, string to)
        {
            var file = Path.Combine(_directory, relative);
            var text = File.ReadAllText(file);
            Assert.Contains(from, text, StringComparison.Ordinal);
            File.WriteAllText(file, text.Replace(from, to, StringComparison.Ordinal));
        }

        public void Dispose() => System.IO.Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void Go_memory_limits_sit_below_the_container_limits()
    {
        var mimir = KubernetesYaml.LoadAllFromString(LabAssets.Read("manifests/mimir/mimir.yaml"), strict: true)
            .OfType<V1StatefulSet>().Single().Spec.Template.Spec.Containers.Single();
        AssertBelow("Mimir", mimir.Env.Single(e => e.Name == "GOMEMLIMIT").Value, mimir.Resources.Limits["memory"].ToString());
        AssertBelow("Tempo", EnvValue("helm/tempo.yaml", "tempo", "extraEnv"), ResourcesOf("helm/tempo.yaml", "tempo.resources").Limit + "Mi");
        AssertBelow("Alloy", EnvValue("helm/alloy.yaml", "alloy", "extraEnv"), ResourcesOf("helm/alloy.yaml", "alloy.resources").Limit + "Mi");

        static void AssertBelow(string what, string goMemLimit, string limit)
        {
            var go = MiB(goMemLimit.Replace("MiB", "Mi"));
            Assert.True(go < MiB(limit) && go >= MiB(limit) * 0.7, $"{what}: GOMEMLIMIT {goMemLimit} should be 70-99% of its limit {limit}");
        }

        static string EnvValue(string file, params string[] path) =>
            LabAssets.ScalarAt(((YamlSequenceNode)LabAssets.At(LabAssets.LoadMapping(file), path)!)
                .Single(e => LabAssets.ScalarAt(e, "name") == "GOMEMLIMIT"), "value")!;
    }

    [Fact]
    public void Readme_shows_the_current_summary_table()
    {
        const string Begin = "<!-- memory-summary:begin (generated from MemoryBudget.cs) -->\n";
        const string End = "<!-- memory-summary:end -->";
        var expected = Budget.ToSummaryMarkdown(new LabOptions());
        var readme = Path.Combine(LabAssets.RepoRoot, "README.md");
        var text = File.ReadAllText(readme);
        var start = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "README.md has no memory-summary markers");
        if (Environment.GetEnvironmentVariable("LGTMLAB_UPDATE_DOCS") == "1")
        {
            text = text[..(start + Begin.Length)] + expected + text[end..];
            File.WriteAllText(readme, text);
        }
        Assert.True(text[(start + Begin.Length)..end] == expected,
            "README.md's memory table is not MemoryBudget.ToSummaryMarkdown(): regenerate it with LGTMLAB_UPDATE_DOCS=1 dotnet test --filter Readme_shows_the_current_summary_table");
        Assert.Contains(Budget.TotalLimitMiB(new LabOptions()).ToString(System.Globalization.CultureInfo.InvariantCulture), text);
    }

    [Fact]
    public void Docs_memory_budget_is_the_current_table()
    {
        var expected = Budget.ToMarkdown(new LabOptions());
        var file = Path.Combine(LabAssets.RepoRoot, DocPath);
        if (Environment.GetEnvironmentVariable("LGTMLAB_UPDATE_DOCS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, expected);
        }
        Assert.True(File.Exists(file) && File.ReadAllText(file) == expected,
            $"{DocPath} is not MemoryBudget.ToMarkdown(): regenerate it with LGTMLAB_UPDATE_DOCS=1 dotnet test --filter Docs_memory_budget_is_the_current_table");
        Assert.Contains($"| **lgtm-central total** |", expected);
        Assert.Contains($"| **lgtm-remote total** |", expected);
    }

    private static (int Request, int Limit) ResourcesOf(string file, string path)
    {
        if (file.StartsWith("manifests/", StringComparison.Ordinal))
        {
            var parts = path.Split('/');
            var objects = KubernetesYaml.LoadAllFromString(LabAssets.Read(file), strict: true);
            var pod = parts[0] switch
            {
                "StatefulSet" => objects.OfType<V1StatefulSet>().Single(s => s.Metadata.Name == parts[1]).Spec.Template.Spec,
                "Deployment" => objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == parts[1]).Spec.Template.Spec,
                var kind => throw new NotSupportedException(kind),
            };
            var resources = pod.Containers.Single(c => c.Name == parts[2]).Resources;
            return (MiB(resources.Requests["memory"].ToString()), MiB(resources.Limits["memory"].ToString()));
        }

        var node = LabAssets.At(LabAssets.LoadMapping(file), path.Split('.'));
        Assert.True(node is YamlMappingNode, $"lab-assets/{file} has no {path}");
        return (MiB(LabAssets.ScalarAt(node!, "requests", "memory")!), MiB(LabAssets.ScalarAt(node!, "limits", "memory")!));
    }

    private static IEnumerable<string> ResourcesPaths(YamlMappingNode node, List<string> path)
    {
        foreach (var (key, value) in node.Children)
        {
            List<string> here = [.. path, ((YamlScalarNode)key).Value!];
            if (here[^1] == "resources" && LabAssets.At(value, "limits", "memory") is not null)
                yield return string.Join('.', here);
            else if (value is YamlMappingNode map && here[0] != "extraObjects")
                foreach (var inner in ResourcesPaths(map, here))
                    yield return inner;
        }
    }

    private static int MiB(string quantity) =>
        quantity.EndsWith("Gi", StringComparison.Ordinal) ? int.Parse(quantity[..^2]) * 1024
        : quantity.EndsWith("Mi", StringComparison.Ordinal) ? int.Parse(quantity[..^2])
        : throw new FormatException($"memory quantity '{quantity}': use Mi or Gi");
}
