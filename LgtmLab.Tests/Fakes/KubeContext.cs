using System.Text.Json.Nodes;
using LgtmLab.Tests.Fakes.Kubernetes;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// What kubectl and helm resolve before talking to a cluster: the kubeconfig file, the context, its namespace
/// and the fake API server its cluster entry points at (or the error they would print instead).
/// </summary>
internal sealed record KubeContext(string KubeconfigPath, string ContextName, string? Namespace, FakeKubernetesApi? Api, string Server)
{
    /// <summary>
    /// Resolves the context; on failure returns null and the kubectl-style message in <paramref name="error"/>
    /// ("error: context \"x\" does not exist", or connection refused for a cluster that is gone).
    /// </summary>
    public static KubeContext? Resolve(FakeToolbox toolbox, FakeCall call, string? kubeconfigFlag, string? contextFlag, out string error)
    {
        error = "";
        var path = FakeKubeconfig.PathFor(call, kubeconfigFlag);
        if (kubeconfigFlag is not null && !File.Exists(path))
        {
            error = $"error: stat {kubeconfigFlag}: no such file or directory";
            return null;
        }
        JsonObject config;
        lock (toolbox.State) config = FakeKubeconfig.Load(path);
        var name = contextFlag ?? (string?)config["current-context"] ?? "";
        if (name.Length == 0)
        {
            error = FakeToolErrors.KubectlConnectionRefused("localhost:8080");
            return null;
        }
        var context = FakeKubeconfig.Entry(config, "contexts", name)?["context"];
        if (context is null)
        {
            error = $"error: context \"{name}\" does not exist";
            return null;
        }
        var clusterName = (string?)context["cluster"] ?? "";
        var server = (string?)FakeKubeconfig.Entry(config, "clusters", clusterName)?["cluster"]?["server"];
        if (server is null)
        {
            error = $"error: cluster \"{clusterName}\" does not exist";
            return null;
        }
        var api = toolbox.Clusters.Select(c => c.Api).FirstOrDefault(a => a is not null && a.IsRunning && a.Url.ToString().TrimEnd('/') == server.TrimEnd('/'));
        if (api is null)
        {
            error = FakeToolErrors.KubectlConnectionRefused(HostPort(server));
            return null;
        }
        return new KubeContext(path, name, (string?)context["namespace"], api, server);
    }

    public static string HostPort(string server) => Uri.TryCreate(server, UriKind.Absolute, out var uri) ? $"{uri.Host}:{uri.Port}" : server;
}
