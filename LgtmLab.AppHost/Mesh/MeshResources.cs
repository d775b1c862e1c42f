using System.Globalization;
using LgtmLab.AppHost.Pki;
using LgtmLab.AppHost.Provisioning;

namespace LgtmLab.AppHost.Mesh;

/// <summary>What the dashboard shows on the mesh's resources: chart facts and the issuer's expiry.</summary>
internal static class MeshResources
{
    public static Dictionary<string, string> Chart(LabServices lab, string chart, string ns, IReadOnlyDictionary<string, string>? extra, params (string Key, string Value)[] properties)
    {
        var version = lab.Versions.Chart(chart);
        var result = new Dictionary<string, string>
        {
            ["chart"] = version.Chart,
            ["version"] = version.Version,
            ["repo"] = version.Repo,
            ["namespace"] = ns,
        };
        foreach (var (key, value) in properties) result[key] = value;
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) result[key] = value;
        return result;
    }

    /// <summary>The issuer's expiry, and <c>issuerWarning</c> when it expires within 30 days (as of when the lab was planned).</summary>
    public static Dictionary<string, string> IssuerProperties(LinkerdPki pki, string cluster)
    {
        try
        {
            if (pki.GetIssuerStatus(cluster) is not { } status)
                return new() { ["issuerExpires"] = "made on the first run (valid 1 year)" };
            var properties = new Dictionary<string, string>
            {
                ["issuerExpires"] = status.NotAfter.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
                ["issuer"] = status.Fingerprint,
            };
            if (status.Warning is { } warning) properties["issuerWarning"] = warning;
            return properties;
        }
        catch (PkiStateException e)
        {
            return new() { ["issuerWarning"] = e.Message };
        }
    }

    /// <summary>The linkerd resource's live probe: unhealthy once the issuer has expired, with the warning before.</summary>
    public static LabProbeResult IssuerProbe(LinkerdPki pki, string cluster)
    {
        try
        {
            var status = pki.GetIssuerStatus(cluster);
            if (status is null) return LabProbeResult.Fail($"{cluster} has no Linkerd issuer yet; run the lab to make it");
            if (status.IsExpired) return LabProbeResult.Fail(status.Warning!);
            return LabProbeResult.Pass(status.Warning
                ?? string.Create(CultureInfo.InvariantCulture, $"Linkerd issuer {status.Fingerprint} valid until {status.NotAfter:yyyy-MM-dd}"));
        }
        catch (PkiStateException e)
        {
            return LabProbeResult.Fail(e.Message);
        }
    }
}
