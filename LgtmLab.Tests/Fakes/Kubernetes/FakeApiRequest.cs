namespace LgtmLab.Tests.Fakes.Kubernetes;

/// <summary>One request the fake API server answered. Source: "http" (a real client), "kubectl" or "helm" (the fake CLIs).</summary>
internal sealed record FakeApiRequest(DateTimeOffset At, string Method, string Path, string Query, int StatusCode, string Source)
{
    public bool IsMutating => Method is "POST" or "PUT" or "PATCH" or "DELETE";

    public override string ToString() => $"{Method} {Path}{(Query.Length > 0 ? "?" + Query : "")} -> {StatusCode} ({Source})";
}
