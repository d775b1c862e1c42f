namespace LgtmLab.AppHost.Observability;

/// <summary>
/// Where a component answers its own readiness check: an HTTP GET on a Service port (e.g. through the API
/// server's service proxy, <c>/api/v1/namespaces/{ns}/services/{service}:{port}/proxy{path}</c>).
/// The component is healthy only when this returns 2xx.
/// </summary>
/// <param name="Cluster">Cluster name, e.g. <c>lgtm-central</c>.</param>
/// <param name="Component">Component name, e.g. <c>loki</c>; the dashboard resource is <see cref="ResourceName"/>.</param>
internal sealed record ReadinessEndpoint(string Cluster, string Component, string Namespace, string Service, int Port, string Path)
{
    /// <summary>The Aspire resource this health belongs to, e.g. <c>lgtm-central-loki</c>.</summary>
    public string ResourceName => $"{Cluster}-{Component}";

    /// <summary>The path through the Kubernetes API server's service proxy.</summary>
    public string ApiServerProxyPath => $"/api/v1/namespaces/{Namespace}/services/{Service}:{Port}/proxy{Path}";
}
