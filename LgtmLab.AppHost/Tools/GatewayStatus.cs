namespace LgtmLab.AppHost.Tools;

/// <summary>
/// One row of <c>linkerd multicluster gateways</c> (linkerd2 edge-26.8.3 multicluster/cmd/gateways.go): CLUSTER,
/// ALIVE (True/False), NUM_SVC (the mirror services of that cluster here), LATENCY (the last probe's, "2ms"; "-"
/// when not alive).
/// </summary>
internal sealed record GatewayStatus(string Cluster, bool Alive, int PairedServices, string Latency)
{
    /// <summary>Reads the table by its header names, so a reordered or added column does not break it.</summary>
    public static IReadOnlyList<GatewayStatus> ParseTable(IReadOnlyList<string> lines)
    {
        var rows = lines.Where(l => l.Trim().Length > 0).Select(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (rows.Count == 0) return [];
        var header = rows[0].ToList();
        int Column(string name) => header.IndexOf(name) is >= 0 and var i ? i
            : throw new FormatException($"`linkerd multicluster gateways` printed no {name} column (header: {string.Join(' ', header)})");
        var (cluster, alive, services, latency) = (Column("CLUSTER"), Column("ALIVE"), Column("NUM_SVC"), Column("LATENCY"));
        return [.. rows.Skip(1).Where(r => r.Length == header.Count).Select(r => new GatewayStatus(
            r[cluster],
            r[alive] == "True",
            int.TryParse(r[services], System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0,
            r[latency]))];
    }
}
