using LgtmLab.Tests.Infrastructure;
using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Observability;
using YamlDotNet.RepresentationModel;

namespace LgtmLab.Tests.Observability;

/// <summary>
/// Every values file (and every generated overlay) uses only keys the pinned chart defines: each key path is
/// walked against the chart's default values.yaml in the shared reference copy. Maps the chart leaves open
/// (resources, annotations, Loki's config sections, ...) are listed below with the reason they are free-form.
/// </summary>
public sealed class ChartValuesKeysTests
{
    /// <summary>Key paths ('/'-separated, '*' matches one key) under which any key is allowed, per chart, with why.</summary>
    private static readonly Dictionary<string, (string Path, string Reason)[]> FreeForm = new()
    {
        ["loki"] =
        [
            ("loki/commonConfig", "rendered as Loki's common: block (values.yaml: 'Check .../#common_config')"),
            ("loki/schemaConfig", "rendered as Loki's schema_config (default {})"),
            ("loki/querier", "rendered as Loki's querier: block (default {})"),
            ("loki/limits_config", "rendered as Loki's limits_config (skipProperties, additionalProperties in the schema)"),
            ("loki/compactor", "rendered as Loki's compactor: block (default {})"),
            ("loki/analytics", "rendered as Loki's analytics: block (default {})"),
            ("*/podAnnotations", "Kubernetes annotations map"),
            ("*/service/labels", "Kubernetes labels map"),
            ("*/service/annotations", "Kubernetes annotations map"),
            ("*/resources", "Kubernetes ResourceRequirements"),
        ],
        ["tempo"] =
        [
            ("tempo/queryFrontend", "rendered as Tempo's query_frontend: block (default {})"),
            ("tempo/overrides/defaults", "rendered as Tempo's overrides.defaults (default {})"),
            ("tempo/resources", "Kubernetes ResourceRequirements"),
            ("podAnnotations", "Kubernetes annotations map"),
            ("service/labels", "Kubernetes labels map"),
            ("service/annotations", "Kubernetes annotations map"),
        ],
        ["grafana"] =
        [
            ("grafana.ini", "free-form grafana.ini sections and keys (values.yaml: 'values in map will be converted to ini format')"),
            ("ingress/ingressClassName", "documented in values.yaml as a commented example and read by templates/ingress.yaml"),
            ("dashboardProviders", "Grafana dashboard provider files by name (default {})"),
            ("dashboards", "dashboards per provider (default {})"),
            ("datasources", "Grafana data source provisioning files by name (default {})"),
            ("*/resources", "Kubernetes ResourceRequirements"),
            ("resources", "Kubernetes ResourceRequirements"),
        ],
        ["prometheus"] =
        [
            ("server/exemplars", "rendered as Prometheus' storage.exemplars (default {})"),
            ("server/global", "rendered as Prometheus' global: block (external_labels is a Prometheus key)"),
            ("server/podAnnotations", "Kubernetes annotations map"),
            ("*/resources", "Kubernetes ResourceRequirements"),
            ("configmapReload/prometheus/resources", "Kubernetes ResourceRequirements"),
            ("kube-state-metrics/resources", "a value of the kube-state-metrics subchart (not in the parent's values.yaml; checked by rendering during development)"),
            ("scrapeConfigs/*", "values.yaml: 'Further scrapeConfigs can be added as new keys'; each is a Prometheus scrape_config"),
        ],
        ["alloy"] =
        [
            ("alloy/resources", "Kubernetes ResourceRequirements"),
            ("configReloader/resources", "Kubernetes ResourceRequirements"),
            ("controller/podAnnotations", "Kubernetes annotations map"),
        ],
        ["traefik"] =
        [
            ("ports/traefik/expose", "values.yaml: expose holds one boolean per Service name (additionalServices)"),
            ("service/additionalServices", "Services by name (default {}; see the chart's EXAMPLES.md)"),
            ("resources", "Kubernetes ResourceRequirements"),
        ],
    };

    public static TheoryData<string, string> ValuesFiles()
    {
        var data = new TheoryData<string, string>();
        foreach (var (file, chart) in LabAssets.ValuesFiles)
            data.Add(file, chart);
        return data;
    }

    [RequiresChartReferenceTheory]
    [MemberData(nameof(ValuesFiles))]
    public void Values_file_uses_only_keys_of_the_pinned_chart(string file, string chart) =>
        AssertKeysExist(LabAssets.LoadMapping(file), chart, file);

    [RequiresChartReferenceFact]
    public void Generated_overlays_use_only_keys_of_the_pinned_charts()
    {
        var lab = new LabOptions();
        var assets = TnsDashboardFixture.AssetsWithDashboard();
        foreach (var cluster in new[] { lab.Central }.Concat(lab.EffectiveRemotes))
            foreach (var component in ObservabilityComponents.For(lab, cluster).Where(c => c.GenerateValues is not null))
                AssertKeysExist(LabAssets.ParseMapping(component.GenerateValues!(assets), component.ResourceName),
                    component.Chart!, $"generated values of {component.ResourceName}");
    }

    [Fact]
    public void Every_values_file_the_components_use_is_checked()
    {
        var lab = new LabOptions();
        var used = new[] { lab.Central }.Concat(lab.EffectiveRemotes)
            .SelectMany(c => ObservabilityComponents.For(lab, c))
            .SelectMany(c => c.ValuesFiles.Select(f => (f, c.Chart!)))
            .Distinct()
            .Order();
        Assert.Equal(used, LabAssets.ValuesFiles.Order());
    }

    private static void AssertKeysExist(YamlMappingNode values, string chart, string what)
    {
        var version = LabAssets.Versions.Chart(chart).Version;
        var defaultsFile = ChartReference.DefaultValues(chart, version);
        Assert.True(File.Exists(defaultsFile),
            $"No default values for the pinned chart {chart} {version} at {defaultsFile}: versions.yaml and the reference copy disagree.");
        var defaults = LabAssets.ParseMapping(File.ReadAllText(defaultsFile), defaultsFile);

        var problems = new List<string>();
        Walk(values, defaults, []);
        Assert.True(problems.Count == 0,
            $"{what} uses keys the {chart} {version} chart does not define:\n  " + string.Join("\n  ", problems) +
            "\nFix the key, or (for a map the chart leaves open) list it in ChartValuesKeysTests.FreeForm with the reason.");

        void Walk(YamlMappingNode ours, YamlNode? chartDefaults, List<string> path)
        {
            foreach (var (keyNode, value) in ours.Children)
            {
                var key = ((YamlScalarNode)keyNode).Value!;
                List<string> here = [.. path, key];
                var shown = string.Join('/', here);
                if (IsFreeForm(chart, here))
                    continue;
                if (chartDefaults is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var defaultValue))
                {
                    problems.Add($"{shown}: not a key of the chart's values");
                    continue;
                }
                if (value is YamlMappingNode nested)
                {
                    if (defaultValue is YamlMappingNode { Children.Count: > 0 })
                        Walk(nested, defaultValue, here);
                    else
                        problems.Add($"{shown}: a map here, but the chart's default is {(defaultValue is YamlMappingNode ? "an empty map" : "not a map")}");
                }
            }
        }
    }

    private static bool IsFreeForm(string chart, List<string> path) =>
        FreeForm.TryGetValue(chart, out var entries) && entries.Any(e =>
        {
            var pattern = e.Path.Split('/');
            return pattern.Length == path.Count && pattern.Zip(path).All(p => p.First == "*" || p.First == p.Second);
        });
}
