using LgtmLab.AppHost.Lgtm;
using LgtmLab.AppHost.Observability;
using LgtmLab.AppHost.Provisioning;

namespace LgtmLab.Tests.Lgtm;

/// <summary>
/// A user's edit of a lab-assets template is what the next run deploys: the steps that render it change their
/// fingerprint and re-apply, carrying the edit to the cluster, and nothing else changes.
/// </summary>
public sealed class LabAssetsTemplateEditTests : IAsyncLifetime
{
    private LgtmContractLab _lab = null!;

    public Task InitializeAsync()
    {
        _lab = LgtmContractLab.Create();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    private void Edit(string relative, string from, string to)
    {
        var file = Path.Combine(_lab.Lab.AssetsDirectory, relative);
        var text = File.ReadAllText(file);
        Assert.Contains(from, text, StringComparison.Ordinal);
        File.WriteAllText(file, text.Replace(from, to, StringComparison.Ordinal));
    }

    private async Task<IReadOnlyList<string>> RunAgainAfterAsync(Action edit)
    {
        LgtmContractLab.AllSucceeded(await _lab.RunAsync());
        edit();
        _lab.Toolbox.ClearJournal();
        var outcomes = await _lab.RunAsync();
        LgtmContractLab.AllSucceeded(outcomes);
        return [.. outcomes.Values.Where(o => o.Applied).Select(o => o.StepId).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task Editing_the_alloy_pipeline_redeploys_alloy_on_every_cluster_with_the_edit()
    {
        var applied = await RunAgainAfterAsync(() => Edit(AlloyConfig.TemplatePath, "loki.source.kubernetes \"pods\" {", "// my edit\nloki.source.kubernetes \"pods\" {"));

        Assert.Equal(["lgtm-central/alloy", "lgtm-remote/alloy"], applied);
        Assert.All(_lab.Toolbox.Mutating, m => Assert.StartsWith("helm upgrade --install alloy alloy ", m.CommandLine, StringComparison.Ordinal));
        foreach (var cluster in new[] { "lgtm-central", "lgtm-remote" })
        {
            var content = (string?)_lab.Toolbox.Cluster(cluster)!.Releases.Single(r => r.Name == "alloy").Values!["alloy"]!["configMap"]!["content"];
            Assert.Contains("// my edit\nloki.source.kubernetes \"pods\" {", content, StringComparison.Ordinal);
            Assert.Contains($"cluster = \"{cluster}\"", content, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Editing_the_datasources_template_upgrades_only_grafana_with_the_edit()
    {
        var applied = await RunAgainAfterAsync(() => Edit(GrafanaDatasources.TemplatePath, "timeInterval: 15s", "timeInterval: 30s"));

        Assert.Equal(["lgtm-central/grafana"], applied);
        var change = Assert.Single(_lab.Toolbox.Mutating);
        Assert.StartsWith("helm upgrade --install grafana grafana ", change.CommandLine, StringComparison.Ordinal);
        var sources = _lab.Central.Releases.Single(r => r.Name == "grafana").Values!["datasources"]!["datasources.yaml"]!["datasources"]!.AsArray();
        Assert.Equal(9, sources.Count);
        Assert.All(sources.Where(s => (string?)s!["type"] == GrafanaDatasources.MimirType), s => Assert.Equal("30s", (string?)s!["jsonData"]!["timeInterval"]));
    }

    [Fact]
    public async Task Editing_the_namespace_manifest_reapplies_the_namespaces_with_the_edit()
    {
        var applied = await RunAgainAfterAsync(() => Edit("manifests/" + NamespacesStep.TemplateName, "    app.kubernetes.io/part-of: lgtmlab\n", "    app.kubernetes.io/part-of: lgtmlab\n    team: platform\n"));

        Assert.Equal(["lgtm-central/namespaces", "lgtm-remote/namespaces"], applied);
        foreach (var cluster in new[] { "lgtm-central", "lgtm-remote" })
            Assert.Equal("platform", (string?)_lab.Toolbox.Cluster(cluster)!.Api!.Get("v1", "Namespace", null, "observability")!["metadata"]!["labels"]!["team"]);
    }

    [Fact]
    public void Each_edit_changes_the_fingerprint_of_the_steps_that_render_the_template_and_no_other()
    {
        IReadOnlyDictionary<string, string> Fingerprints()
        {
            using var controller = _lab.Controller();
            return controller.Plan.Graph.Steps.ToDictionary(s => s.Id, s => s.Fingerprint);
        }

        var before = Fingerprints();
        Edit(AlloyConfig.TemplatePath, "// ---- OTLP from the cluster's workloads.", "// ---- OTLP from the cluster's workloads (edited).");
        Edit(GrafanaDatasources.TemplatePath, "maxLines: 1000", "maxLines: 2000");
        Edit("manifests/" + NamespacesStep.TemplateName, "kind: Namespace\n", "kind: Namespace\n# edited\n");
        var after = Fingerprints();

        Assert.Equal(["lgtm-central/alloy", "lgtm-central/grafana", "lgtm-central/namespaces", "lgtm-remote/alloy", "lgtm-remote/namespaces"],
            before.Keys.Where(id => before[id] != after[id]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_broken_namespace_template_fails_its_steps_with_the_file_and_placeholder_and_applies_no_namespace()
    {
        Edit("manifests/" + NamespacesStep.TemplateName, "  name: {{ name }}", "  name: {{ namespace }}");

        var outcomes = await _lab.RunAsync();

        foreach (var cluster in new[] { "lgtm-central", "lgtm-remote" })
        {
            var outcome = outcomes[$"{cluster}/namespaces"];
            Assert.Equal(StepStatus.Failed, outcome.Status);
            Assert.Contains(Path.Combine(_lab.Lab.AssetsDirectory, "manifests", NamespacesStep.TemplateName), outcome.Message, StringComparison.Ordinal);
            Assert.Contains("{{ namespace }}", outcome.Message, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(_lab.Toolbox.Mutating, m => m.CommandLine.Contains(NamespacesStep.FileName, StringComparison.Ordinal));
    }

    [Fact]
    public void A_broken_alloy_template_stops_the_lab_while_it_is_planned_naming_the_file_and_placeholder()
    {
        Edit(AlloyConfig.TemplatePath, "url       = \"{{ lokiPushUrl }}\"", "url       = \"{{ lokiUrl }}\"");

        var error = Assert.Throws<InvalidDataException>(() => _lab.Controller().Dispose());

        Assert.Contains(Path.Combine(_lab.Lab.AssetsDirectory, "alloy", "pipeline.alloy"), error.Message, StringComparison.Ordinal);
        Assert.Contains("{{ lokiUrl }}", error.Message, StringComparison.Ordinal);
        Assert.Empty(_lab.Toolbox.Mutating);
    }
}
