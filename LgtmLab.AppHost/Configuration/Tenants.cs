namespace LgtmLab.AppHost.Configuration;

/// <summary>
/// Which tenant (<c>X-Scope-OrgID</c>) each cluster's telemetry is stored under: central's own tenant
/// (<c>central</c> by default), and for each remote its configured tenant or else its cluster name.
/// </summary>
internal static class Tenants
{
    /// <summary>The longest tenant id Mimir, Loki and Tempo accept.</summary>
    public const int MaxLength = 150;

    /// <summary>The tenant of one cluster: its <c>Tenant</c> when set, otherwise its name.</summary>
    public static string Of(ClusterOptions cluster) =>
        string.IsNullOrWhiteSpace(cluster.Tenant) ? cluster.Name : cluster.Tenant;

    /// <summary>Central's tenant.</summary>
    public static string Central(LabOptions lab) => Of(lab.Central);

    /// <summary>Each remote's tenant, in configuration order.</summary>
    public static IReadOnlyList<string> Remotes(LabOptions lab) => [.. lab.EffectiveRemotes.Select(Of)];

    /// <summary>Every tenant, central first; validated (distinct, and safe in an <c>X-Scope-OrgID</c> header).</summary>
    public static IReadOnlyList<string> All(LabOptions lab)
    {
        Validate(lab);
        return [Central(lab), .. Remotes(lab)];
    }

    /// <summary>The header value that queries every tenant at once (tenant federation), e.g. <c>central|lgtm-remote</c>.</summary>
    public static string Federated(LabOptions lab) => string.Join('|', All(lab));

    /// <summary>Rejects tenants that Mimir, Loki and Tempo would refuse or that would collide.</summary>
    public static void Validate(LabOptions lab)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        Check(lab.Central, "Lab:Central");
        var remotes = lab.EffectiveRemotes;
        for (var i = 0; i < remotes.Count; i++)
            Check(remotes[i], $"Lab:Remotes:{i}");

        void Check(ClusterOptions cluster, string key)
        {
            var tenant = Of(cluster);
            if (tenant.Length == 0)
                throw new ArgumentException($"{key}: the cluster has neither a Name nor a Tenant; set {key}:Name.");
            if (!IsValid(tenant))
                throw new ArgumentException(
                    $"{key}:Tenant '{tenant}' is not a valid tenant id: use at most {MaxLength} characters among " +
                    "letters, digits and ! - _ . * ' ( ) (no '|', which separates tenants in federated queries).");
            if (seen.TryGetValue(tenant, out var other))
                throw new ArgumentException(
                    $"{key}:Tenant '{tenant}' is already the tenant of {other}: give each cluster its own tenant " +
                    $"(set {key}:Tenant), or their telemetry would be mixed.");
            seen[tenant] = key;
        }
    }

    /// <summary>The backends' tenant id rule: at most <see cref="MaxLength"/> of letters, digits and <c>!-_.*'()</c>, not <c>.</c> or <c>..</c>.</summary>
    public static bool IsValid(string tenant) =>
        tenant.Length is > 0 and <= MaxLength && tenant is not ("." or "..") && tenant.All(IsAllowed);

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || "!-_.*'()".Contains(c);
}
