namespace LgtmLab.AppHost.Tools;

/// <summary>One row of <c>linkerd multicluster gateways</c>: CLUSTER, ALIVE, NUM_SVC, LATENCY_P50/P95/P99 ("-" when not alive).</summary>
public sealed record GatewayStatus(string Cluster, bool Alive, int PairedServices, string LatencyP50, string LatencyP95, string LatencyP99)
{
    /// <summary>Reads the table by its header names, so a reordered or added column does not break it.</summary>
    public static IReadOnlyList<GatewayStatus> ParseTable(IReadOnlyList<string> lines)
    {
        var rows = lines.Where(l => l.Trim().Length > 0).Select(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (rows.Count == 0) return [];
        var header = rows[0].ToList();
        int Column(string name) => header.IndexOf(name) is >= 0 and var i ? i
            : throw new FormatException($"`linkerd multicluster gateways` printed no {name} column (header: {string.Join(' ', header)})");
        var (cluster, alive, services, p50, p95, p99) =
            (Column("CLUSTER"), Column("ALIVE"), Column("NUM_SVC"), Column("LATENCY_P50"), Column("LATENCY_P95"), Column("LATENCY_P99"));
        return [.. rows.Skip(1).Where(r => r.Length == header.Count).Select(r => new GatewayStatus(
            r[cluster],
            r[alive].Equals("True", StringComparison.OrdinalIgnoreCase) || r[alive].Equals("yes", StringComparison.OrdinalIgnoreCase),
            int.TryParse(r[services], System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0,
            r[p50], r[p95], r[p99]))];
    }
}
