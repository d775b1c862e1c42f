using System.Security.Cryptography;
using System.Text;
using LgtmLab.AppHost.Configuration;

namespace LgtmLab.AppHost.Observability;

/// <summary>
/// Grafana's data sources for a lab, rendered from lab-assets/grafana/datasources.yaml: Mimir, Loki and Tempo
/// for central's tenant ("Local"), for each remote's tenant ("Remote (&lt;tenant&gt;)"), and across every tenant
/// at once ("(all tenants)", tenant federation); the template's block is written once per set. Each set is
/// cross-linked in the template. Grafana runs on central, so every URL is a central service name.
/// </summary>
internal static class GrafanaDatasources
{
    /// <summary>The template, relative to lab-assets.</summary>
    public const string TemplatePath = "grafana/datasources.yaml";

    public const string MimirType = "prometheus", LokiType = "loki", TempoType = "tempo";
    public const string TenantHeader = "X-Scope-OrgID";
    public const string ExemplarTraceIdLabel = "trace_id";
    public const string AllTenantsSuffix = "(all tenants)";

    private const int MaxUidLength = 40;

    /// <summary>Every data source of the lab as the template writes them: Local, each Remote, then all tenants (the default).</summary>
    public static IReadOnlyList<GrafanaDatasource> For(LabOptions lab, LabAssets assets)
    {
        var file = assets.PathOf(TemplatePath);
        var result = ((List<object>)ProvisioningDocument(lab, assets)["datasources"])
            .Select((source, index) => ToDatasource(source, index, file))
            .ToList();

        var duplicate = result.GroupBy(d => d.Uid).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException(
                $"Two Grafana data sources would share the uid '{duplicate.Key}' ({string.Join(", ", duplicate.Select(d => d.Name))}): " +
                "give the remotes tenants that differ in more than punctuation (Lab:Remotes:N:Tenant)" +
                $", or, if you edited {file}, give each data source of its block its own uid placeholder.");
        return result;
    }

    /// <summary>Grafana's data source provisioning document (apiVersion 1) for the lab, as the values embed it.</summary>
    public static Dictionary<string, object> ProvisioningDocument(LabOptions lab, LabAssets assets)
    {
        var file = assets.PathOf(TemplatePath);
        var document = TypedYaml.Parse(ProvisioningYaml(lab, assets), file);
        if (document is not Dictionary<string, object> root || !root.TryGetValue("datasources", out var list) || list is not List<object>)
            throw new InvalidDataException($"{file} must render to a mapping with a 'datasources' list (Grafana's provisioning file): restore its top lines (apiVersion: 1, datasources:).");
        return root;
    }

    /// <summary>The provisioning file as rendered (what Grafana reads from provisioning/datasources/).</summary>
    public static string ProvisioningYaml(LabOptions lab, LabAssets assets) =>
        LabTemplate.RenderFile(assets.PathOf(TemplatePath), Values(lab));

    /// <summary>What the template may use: the URLs, and per tenant set its label, tenant, default flag and uids.</summary>
    internal static TemplateValues Values(LabOptions lab)
    {
        Tenants.Validate(lab);
        var sets = new List<(string Label, string UidPart, string Tenant, bool IsDefault)>
        {
            ("Local", "local", Tenants.Central(lab), false),
        };
        sets.AddRange(Tenants.Remotes(lab).Select(t => ($"Remote ({t})", "remote-" + UidSafe(t), t, false)));
        sets.Add((AllTenantsSuffix, "all", Tenants.Federated(lab), true));

        var (mimir, loki, tempo) = (LgtmService.Mimir, LgtmService.Loki, LgtmService.Tempo);
        return new TemplateValues()
            .Set("mimirUrl", $"http://{mimir.LocalHost}:{mimir.HttpPort}/prometheus")
            .Set("lokiUrl", $"http://{loki.LocalHost}:{loki.HttpPort}")
            .Set("tempoUrl", $"http://{tempo.LocalHost}:{tempo.HttpPort}")
            .Range("tenantSets", sets.Select(set => new TemplateValues()
                .Set("label", set.Label)
                .Set("tenant", set.Tenant)
                .Set("isDefault", set.IsDefault)
                .Set("mimirUid", Uid("mimir", set.UidPart))
                .Set("lokiUid", Uid("loki", set.UidPart))
                .Set("tempoUid", Uid("tempo", set.UidPart))));
    }

    private static GrafanaDatasource ToDatasource(object source, int index, string file)
    {
        if (source is not Dictionary<string, object> map)
            throw new InvalidDataException($"{file}: data source {index + 1} is not a mapping: each list item needs name, uid, type and url.");
        string Required(string key) => map.TryGetValue(key, out var value) && value is string text && text.Length > 0
            ? text
            : throw new InvalidDataException($"{file}: data source {index + 1} ({(map.TryGetValue("name", out var n) ? n : "no name")}) has no '{key}': Grafana needs it.");
        var jsonData = map.TryGetValue("jsonData", out var json) && json is Dictionary<string, object> data ? data : [];
        var tenant = map.TryGetValue("secureJsonData", out var secure) && secure is Dictionary<string, object> secrets
            && secrets.TryGetValue("httpHeaderValue1", out var header) ? Convert.ToString(header, System.Globalization.CultureInfo.InvariantCulture) ?? "" : "";
        return new GrafanaDatasource(Required("name"), Required("uid"), Required("type"), Required("url"), tenant,
            map.TryGetValue("isDefault", out var isDefault) && isDefault is true, jsonData);
    }

    /// <summary>Grafana uids allow letters, digits, '-' and '_', at most 40 characters.</summary>
    private static string Uid(string backend, string part)
    {
        var uid = $"{backend}-{part}";
        if (uid.Length <= MaxUidLength)
            return uid;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(uid)))[..8];
        return uid[..(MaxUidLength - 9)] + "-" + hash;
    }

    private static string UidSafe(string tenant) =>
        new(tenant.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());
}
