using System.Text.Json.Nodes;

namespace LgtmLab.Tests.Fakes;

/// <summary>A Helm release revision as the fake helm stored it (in the cluster, as helm's release Secret).</summary>
internal sealed record FakeHelmRelease(
    string Name, string Namespace, int Revision, string Status, string Chart, string ChartVersion, string AppVersion,
    string? Repo, string ValuesSha256, JsonNode? Values, DateTimeOffset Updated, string Description)
{
    /// <summary>"metallb-0.16.1", as helm list prints the chart.</summary>
    public string ChartReference => $"{Chart}-{ChartVersion}";
}
