using System.Globalization;
using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Observability;
using LgtmLab.AppHost.Provisioning;

namespace LgtmLab.AppHost.Lgtm;

/// <summary>
/// What Grafana's resource shows beyond a release: its two URLs, where the admin password lives (the Aspire
/// parameter's name, never its value), its data sources and dashboards, and the smoke-query command.
/// </summary>
internal static class GrafanaResource
{
    public const string SmokeQueryCommand = "grafana-smoke-query";

    /// <summary>The URL that needs no /etc/hosts edit: kind maps central's <c>http</c> host port to Traefik's web node port.</summary>
    public static Uri LocalUrl(ClusterSpec central) =>
        new(string.Create(CultureInfo.InvariantCulture,
            $"http://localhost:{central.PortMappings.FirstOrDefault(p => p.Name == "http")?.HostPort ?? GrafanaAccess.DefaultLocalHttpPort}/"));

    public static LabResource Describe(LabResource release, LabServices lab, ClusterSpec central, DashboardCatalog dashboards)
    {
        var datasources = GrafanaDatasources.For(lab.Topology.Options, lab.Assets);
        var properties = new Dictionary<string, string>(release.Properties)
        {
            ["url"] = GrafanaAccess.HttpsUrl,
            ["localUrl"] = LocalUrl(central).ToString().TrimEnd('/'),
            ["ingress"] = $"Traefik; https needs {GrafanaAccess.Host} to resolve to Traefik's MetalLB address, localhost works as is",
            ["tls"] = $"Secret {GrafanaAccess.TlsSecretName} from the lab CA ({Path.Combine(lab.Topology.StateDirectory, "pki", "lab-ca", "ca.crt")})",
            ["adminUser"] = GrafanaAccess.AdminUser,
            ["adminPassword"] = $"Aspire parameter '{GrafanaAccess.AdminPasswordParameter}' (Parameters in this dashboard), in Secret {GrafanaAccess.Namespace}/{GrafanaAccess.AdminSecretName}",
            ["datasources"] = string.Join(", ", datasources.Select(d => d.Name)),
            ["dashboards"] = "TNS Demo App (lab-assets), and " + string.Join(", ", dashboards.Folders.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Value.Title} ({f.Value.Dashboards.Count})")) +
                $" downloaded by the lab (lab-assets/{DashboardCatalog.FileName}, cached in {Path.Combine(lab.Topology.StateDirectory, "dashboards")}); one that cannot be downloaded shows as a warning here",
        };
        var smoke = new LabResourceAction(SmokeQueryCommand, "Smoke query data sources",
            "Runs one query per data source through Grafana's API and logs each result",
            (logger, token) =>
            {
                var password = lab.GrafanaAdminPassword ?? throw new InvalidOperationException(
                    $"no Grafana admin password was given to the lab: run it through the AppHost (parameter '{GrafanaAccess.AdminPasswordParameter}')");
                return new GrafanaSmokeQuery(LocalUrl(central), GrafanaAccess.AdminUser, password, datasources).RunAsync(logger, token);
            })
        {
            IconName = "DatabaseSearch",
        };
        return release with { Properties = properties, Actions = [.. release.Actions, smoke] };
    }
}
