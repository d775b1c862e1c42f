namespace LgtmLab.AppHost.Observability;

/// <summary>One provisioned Grafana data source (the fields of Grafana's provisioning file).</summary>
/// <param name="Name">Display name, e.g. <c>Mimir Local</c>.</param>
/// <param name="Uid">Stable id other data sources and dashboards link to, e.g. <c>mimir-local</c>.</param>
/// <param name="Type">Grafana plugin id: <c>prometheus</c>, <c>loki</c> or <c>tempo</c>.</param>
/// <param name="Url">Where Grafana (on central) reaches the backend.</param>
/// <param name="Tenant">The <c>X-Scope-OrgID</c> it sends: one tenant, or several joined by <c>|</c>.</param>
/// <param name="IsDefault">Grafana's default data source.</param>
/// <param name="JsonData">Type-specific settings: the links to the other data sources of the same tenant(s).</param>
internal sealed record GrafanaDatasource(
    string Name,
    string Uid,
    string Type,
    string Url,
    string Tenant,
    bool IsDefault,
    IReadOnlyDictionary<string, object> JsonData);
