using System.Text.Json;
using System.Text.Json.Nodes;
using LgtmLab.AppHost.Observability;

namespace LgtmLab.AppHost.Lgtm;

/// <summary>
/// Points a downloaded dashboard at one of the lab's data sources. Dashboards exported for grafana.com declare
/// their data sources in <c>__inputs</c>, which only Grafana's import dialog fills in; file provisioning leaves
/// <c>${name}</c> as it is. Linkerd's (edge-26.8.3 grafana/dashboards/*.json) name the input <c>datasource</c>
/// and also have a templating variable <c>datasource</c> (type datasource, query prometheus) that every panel's
/// <c>"uid": "${datasource}"</c> reads: that variable is set to the lab's data source, so the dropdown still
/// switches tenants. An input without such a variable (e.g. <c>${DS_PROMETHEUS}</c>) is replaced by the uid.
/// </summary>
internal static class DashboardDatasource
{
    public static string Resolve(string json, GrafanaDatasource datasource)
    {
        var dashboard = JsonNode.Parse(json)?.AsObject()
            ?? throw new JsonException("the dashboard is not a JSON object");
        var variables = dashboard["templating"]?["list"] as JsonArray ?? [];
        var datasourceVariables = variables.OfType<JsonObject>()
            .Where(v => (string?)v["type"] == "datasource" && (string?)v["query"] == datasource.Type)
            .ToList();

        var replaced = new List<string>();
        if (dashboard["__inputs"] is JsonArray inputs)
        {
            foreach (var input in inputs.OfType<JsonObject>())
            {
                if ((string?)input["type"] != "datasource" || (string?)input["pluginId"] != datasource.Type || (string?)input["name"] is not { } name)
                    continue;
                if (!datasourceVariables.Any(v => (string?)v["name"] == name))
                    replaced.Add(name);
            }
            dashboard.Remove("__inputs");
        }

        foreach (var variable in datasourceVariables)
        {
            variable["current"] = new JsonObject { ["selected"] = true, ["text"] = datasource.Name, ["value"] = datasource.Uid };
        }

        var resolved = dashboard.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        foreach (var name in replaced)
            resolved = resolved.Replace("${" + name + "}", datasource.Uid, StringComparison.Ordinal);
        return resolved;
    }
}
