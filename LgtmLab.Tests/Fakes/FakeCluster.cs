using LgtmLab.Tests.Fakes.Kubernetes;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// A kind cluster of the fake toolbox: its node containers, the kind config it was created from and, once
/// `kind create cluster` has finished, its API server. A create interrupted mid-way leaves the nodes
/// without an API server, as a killed kind does.
/// </summary>
internal sealed class FakeCluster
{
    private readonly List<string> _loadedImages = [];

    internal FakeCluster(string name, string config, string image, string podSubnet, string serviceSubnet, IReadOnlyList<FakeContainer> nodes)
    {
        Name = name;
        Config = config;
        Image = image;
        PodSubnet = podSubnet;
        ServiceSubnet = serviceSubnet;
        Nodes = nodes;
    }

    public string Name { get; }

    /// <summary>The kubeconfig context (and cluster and user) kind writes: "kind-NAME".</summary>
    public string ContextName => "kind-" + Name;

    /// <summary>The content of the --config file it was created with ("" without one).</summary>
    public string Config { get; }

    public string Image { get; }

    public string PodSubnet { get; }

    public string ServiceSubnet { get; }

    public IReadOnlyList<FakeContainer> Nodes { get; }

    public FakeContainer ControlPlane => Nodes.First(n => n.Role == "control-plane");

    /// <summary>The cluster's API server; null while (or because) `kind create cluster` has not finished.</summary>
    public FakeKubernetesApi? Api { get; internal set; }

    public bool IsReady => Api is not null;

    /// <summary>The names `kind load image-archive` left in the nodes' containerd (see <see cref="ContainerdImport"/>).</summary>
    public IReadOnlyList<string> LoadedImages { get { lock (_loadedImages) return [.. _loadedImages]; } }

    /// <summary>The Helm releases stored in the cluster (the latest revision of each), read from helm's release Secrets.</summary>
    public IReadOnlyList<FakeHelmRelease> Releases => Api is null ? [] : HelmReleaseStore.Latest(Api, null);

    /// <summary>
    /// What a laptop reboot (or a Docker restart that does not bring them back) leaves: every node container exited,
    /// 255 by default (moby v28.2.2 daemon/daemon.go restore: a container found dead without an exit status), the routes
    /// added inside the nodes gone, and nothing answering on the API server's port until the control plane is started
    /// again. Objects, releases and loaded images stay (they are on the nodes' disks).
    /// </summary>
    public async Task StopNodesAsync(int exitCode = 255)
    {
        foreach (var node in Nodes) node.Stop(exitCode);
        if (Api is { } api) await api.StopServingAsync();
    }

    /// <summary>
    /// When true, a started control plane never serves its API again (its kubelet or API server crash-loops, as after an
    /// address change the node's entrypoint could not repair): the container runs, the port refuses.
    /// </summary>
    public bool ApiStaysDownAfterStart { get; set; }

    /// <summary>`docker start` of one node: the control plane's start brings the API server back on its port.</summary>
    internal async Task StartedAsync(FakeContainer node)
    {
        if (node.Role == "control-plane" && !ApiStaysDownAfterStart && Api is { } api) await api.ServeAgainAsync();
    }

    /// <summary>Empties the nodes' image store, as a node re-created by hand would be.</summary>
    public void ForgetLoadedImages()
    {
        lock (_loadedImages) _loadedImages.Clear();
    }

    internal void AddLoadedImage(string image)
    {
        lock (_loadedImages) _loadedImages.Add(image);
    }
}
