using System.Text.Json.Nodes;

namespace LgtmLab.Tests.Dashboards;

/// <summary>The TNS "Demo App" dashboard as shipped in lab-assets/dashboards, read the way Grafana reads it.</summary>
internal sealed class DemoAppDashboard
{
    public const string FileName = "tns-demo-app.json";

    public static string FilePath => RepositoryFile.PathOf("lab-assets", "dashboards", FileName);

    public JsonObject Json { get; }

    private DemoAppDashboard(JsonObject json) => Json = json;

    public static DemoAppDashboard Load() =>
        new(JsonNode.Parse(File.ReadAllText(FilePath))?.AsObject()
            ?? throw new InvalidDataException($"{FilePath} is not a JSON object"));

    public IReadOnlyList<JsonObject> Panels => [.. Json["panels"]!.AsArray().Select(p => p!.AsObject())];

    /// <summary>Each row with the panels that follow it (an expanded row owns the panels below it up to the next row).</summary>
    public IReadOnlyList<(string Title, IReadOnlyList<JsonObject> Panels)> Rows()
    {
        var rows = new List<(string, List<JsonObject>)>();
        foreach (var panel in Panels)
        {
            if ((string?)panel["type"] == "row")
                rows.Add(((string)panel["title"]!, []));
            else if (rows.Count > 0)
                rows[^1].Item2.Add(panel);
            else
                throw new InvalidDataException($"panel '{panel["title"]}' comes before the first row");
        }
        return [.. rows.Select(r => (r.Item1, (IReadOnlyList<JsonObject>)r.Item2))];
    }

    /// <summary>Every PromQL query of every panel, with Grafana's variables replaced the way a dashboard load would.</summary>
    public IReadOnlyList<DashboardQuery> Queries(string @namespace = "tns", string rateInterval = "1m") =>
        [.. from row in Rows()
            from panel in row.Panels
            from target in panel["targets"]!.AsArray()
            let expr = (string)target!["expr"]!
            select new DashboardQuery(
                $"{row.Title} / {panel["title"]} / {target["legendFormat"]}",
                expr.Replace("$namespace", @namespace, StringComparison.Ordinal)
                    .Replace("$__rate_interval", rateInterval, StringComparison.Ordinal))];
}

/// <summary>One panel query, named <c>row / panel / legend</c> so a failure says where it is.</summary>
internal sealed record DashboardQuery(string Where, string PromQl);
