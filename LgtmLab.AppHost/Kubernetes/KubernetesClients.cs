using System.Collections.Concurrent;
using k8s;

namespace LgtmLab.AppHost.Kubernetes;

/// <summary>
/// KubernetesClient instances for the contexts of one kubeconfig file. A client is rebuilt when the file changes
/// (kind rewrites a context with a new port when a cluster is re-created).
/// </summary>
internal sealed class KubernetesClients(string kubeconfigPath) : IDisposable
{
    private readonly ConcurrentDictionary<string, (DateTime Written, k8s.Kubernetes Client)> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<k8s.Kubernetes> _all = [];

    public string KubeconfigPath { get; } = kubeconfigPath;

    /// <summary>HTTP timeout of one API request; a request that takes longer counts as a transient failure.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public bool HasContext(string context)
    {
        if (!File.Exists(KubeconfigPath)) return false;
        var config = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(KubeconfigPath));
        return config.Contexts?.Any(c => c.Name == context) == true;
    }

    public IKubernetes For(string context)
    {
        var written = File.Exists(KubeconfigPath) ? File.GetLastWriteTimeUtc(KubeconfigPath) : DateTime.MinValue;
        if (_clients.TryGetValue(context, out var cached) && cached.Written == written) return cached.Client;
        if (!HasContext(context))
            throw new InvalidOperationException($"the kubeconfig {KubeconfigPath} has no context '{context}'");
        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath, currentContext: context);
        configuration.HttpClientTimeout = RequestTimeout;
        var client = new k8s.Kubernetes(configuration);
        _all.Add(client);
        _clients[context] = (written, client);
        return client;
    }

    public void Dispose()
    {
        foreach (var client in _all) client.Dispose();
    }
}
