namespace LgtmLab.Tests.Fakes;

internal sealed partial class KindCli
{
    /// <summary>The files kind v0.32.0 writes for each node (pkg/cluster/provider.go collectNodeLogs, providers/docker/provider.go CollectLogs).</summary>
    public static readonly IReadOnlyList<string> NodeLogFiles =
        ["serial.log", "kubernetes-version.txt", "journal.log", "kubelet.log", "containerd.log", "images.log", "inspect.json"];

    /// <summary>
    /// `kind export logs DIR --name NAME`, kind v0.32.0 pkg/cmd/kind/export/logs/logs.go runE: list the cluster's nodes
    /// (none: "unknown cluster %q"), log "Exporting logs for cluster %q to:" on stderr and print DIR on stdout, then
    /// pkg/cluster/provider.go CollectLogs: kind-version.txt (version.DisplayVersion(), no newline), per node
    /// (collectNodeLogs) serial.log, kubernetes-version.txt (/kind/version), journal.log, kubelet.log,
    /// containerd.log, images.log (crictl images) and the node's /var/log (DumpDir), and from the docker provider
    /// docker-info.txt and NODE/inspect.json. The fake writes those names; their contents are short stand-ins (only
    /// kind-version.txt and kubernetes-version.txt hold what the real ones do), since nothing in the lab parses them.
    /// Without DIR kind makes a temp dir (fs.TempDir): not transcribed, the lab always names one.
    /// </summary>
    private int ExportLogs(FakeCall call, string name, string? directory)
    {
        if (directory is null) return toolbox.NotImplemented(call);
        // providers/docker/provider.go ListNodes: errors.Wrap(err, "failed to list nodes") around `docker ps`
        if (DockerProblem(call, "failed to list nodes", $"docker ps -a --filter label=io.x-k8s.kind.cluster={name} --format '{{{{.Names}}}}'") is { } failure)
            return failure;
        var cluster = toolbox.Cluster(name);
        if (cluster is null || cluster.Nodes.Count == 0)
        {
            call.ErrLine($"ERROR: unknown cluster \"{name}\"");
            return 1;
        }
        call.ErrLine($"Exporting logs for cluster \"{name}\" to:");
        call.OutLine(directory);
        var root = call.ResolvePath(directory);
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "kind-version.txt"), $"kind {toolbox.Versions.Tool("kind").Version} go1.26.3 linux/amd64");
        File.WriteAllText(Path.Combine(root, "docker-info.txt"), "fake docker info\n");
        foreach (var node in cluster.Nodes)
        {
            var nodeDirectory = Path.Combine(root, node.Name);
            Directory.CreateDirectory(Path.Combine(nodeDirectory, "containers"));
            Directory.CreateDirectory(Path.Combine(nodeDirectory, "pods"));
            foreach (var file in NodeLogFiles)
                File.WriteAllText(Path.Combine(nodeDirectory, file), file switch
                {
                    "kubernetes-version.txt" => toolbox.KubernetesVersion + "\n",
                    "inspect.json" => $"[{{\"Name\": \"/{node.Name}\"}}]\n",
                    _ => $"fake {file} of {node.Name}\n",
                });
        }
        return 0;
    }
}
