using System.Globalization;
using LgtmLab.Tests.Fakes.Kubernetes;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// The fake `kind`: version, get clusters|nodes, create/delete cluster, export kubeconfig|logs, load image-archive (the
/// commands the lab runs), its argv checked against kind v0.32.0's flags (<see cref="KindFlags"/>). Status lines go to stderr as kind's logger writes them when stderr is
/// not a terminal. `create cluster` spends its latency in "Starting control-plane": a call killed there
/// leaves node containers without an API server or kubeconfig entry, as a killed kind does.
/// </summary>
internal sealed partial class KindCli(FakeToolbox toolbox)
{
    private const string ListCommand = "docker ps -a --filter label=io.x-k8s.kind.cluster --format '{{.Label \"io.x-k8s.kind.cluster\"}}'";
    private const string InfoCommand = "docker info --format '{{json .}}'";
    public async Task<int> RunAsync(FakeCall call)
    {
        var parse = CobraParse.Resolve(KindFlags.Root, call.Args);
        switch (parse.Outcome)
        {
            case CobraOutcome.NotTranscribed or CobraOutcome.Help:
                return toolbox.NotImplemented(call);
            case CobraOutcome.FindError or CobraOutcome.Error:
                // kind's root sets SilenceErrors/SilenceUsage; cmd/kind/app/main.go logError prints "ERROR: <err>" and
                // exits 1. (A parent's "Subcommand is required" also prints its help on stdout, not transcribed here.)
                call.ErrLine("ERROR: " + parse.Error);
                return 1;
        }
        var line = parse.Line!;
        var name = line.Get("--name", "-n") ?? "kind";
        switch (parse.Words)
        {
            case ["version"]:
                // pkg/cmd/kind/version/version.go DisplayVersion: "kind v" + version + " " + runtime.Version() + " " + GOOS/GOARCH
                // (.go-version at v0.32.0: 1.26.3).
                call.OutLine($"kind {toolbox.Versions.Tool("kind").Version} go1.26.3 linux/amd64");
                return 0;
            case ["get", "clusters"]:
                if (DockerProblem(call, "failed to list clusters", ListCommand) is { } listFailure) return listFailure;
                // pkg/cmd/kind/get/clusters/clusters.go: the names on stdout, one a line; none: the logger's line on stderr.
                var clusters = toolbox.Clusters.Select(c => c.Name).Order(StringComparer.Ordinal).ToList();
                if (clusters.Count == 0) call.ErrLine("No kind clusters found.");
                foreach (var cluster in clusters) call.OutLine(cluster);
                return 0;
            case ["get", "nodes"]:
                if (DockerProblem(call, "failed to list nodes", ListCommand) is { } nodesFailure) return nodesFailure;
                // pkg/cmd/kind/get/nodes/nodes.go: node.String() (the container name) a line; none: "No kind nodes found for cluster %q."
                var nodes = toolbox.Cluster(name)?.Nodes ?? [];
                if (nodes.Count == 0) call.ErrLine($"No kind nodes found for cluster \"{name}\".");
                foreach (var node in nodes) call.OutLine(node.Name);
                return 0;
            case ["export", "logs"]:
                return ExportLogs(call, name, line.Positionals.FirstOrDefault());
            case ["export", "kubeconfig"]:
                return ExportKubeconfig(call, name, line.Get("--kubeconfig"));
            case ["create", "cluster"]:
                return await CreateAsync(call, line);
            case ["delete", "cluster"]:
                return await DeleteAsync(call, name, line.Get("--kubeconfig"));
            case ["load", "image-archive"]:
                // pkg/cmd/kind/load/image-archive/image-archive.go runE: os.Stat every archive first, then load each.
                if (line.Positionals.FirstOrDefault(a => !File.Exists(call.ResolvePath(a))) is { } missing)
                {
                    call.ErrLine($"ERROR: stat {missing}: no such file or directory");
                    return 1;
                }
                foreach (var archive in line.Positionals)
                    if (LoadImageArchive(call, name, archive) is not 0 and var failed) return failed;
                return 0;
            default:
                return toolbox.NotImplemented(call);
        }
    }

    private int? DockerProblem(FakeCall call, string action, string dockerCommand)
    {
        if (!toolbox.Docker.Installed)
        {
            call.ErrLine($"ERROR: {action}: command \"{dockerCommand}\" failed with error: exec: \"docker\": executable file not found in $PATH");
            return 1;
        }
        if (!toolbox.Docker.DaemonRunning)
        {
            call.ErrLine($"ERROR: {action}: command \"{dockerCommand}\" failed with error: exit status 1");
            // cmd/kind/app/main.go logError: "\nCommand Output: %s" after the error of a failed command.
            call.ErrLine();
            call.ErrLine($"Command Output: {FakeToolErrors.DockerDaemonDown}");
            return 1;
        }
        return null;
    }

    private async Task<int> CreateAsync(FakeCall call, CommandLine line)
    {
        KindConfig config;
        var configText = "";
        try
        {
            if (line.Get("--config") is { } configPath) configText = call.ReadInput(configPath);
            config = KindConfig.Parse(configText);
        }
        catch (Exception e) when (e is FormatException or IOException)
        {
            call.ErrLine($"ERROR: failed to create cluster: {(e is IOException ? "error reading file: " : "")}{e.Message}");
            return 1;
        }
        var name = line.Get("--name", "-n") ?? config.Name ?? "kind";
        if (DockerProblem(call, "failed to create cluster: failed to get docker info", InfoCommand) is { } failure) return failure;
        try { KindConfig.ValidateName(name); }
        catch (FormatException e) { call.ErrLine($"ERROR: failed to create cluster: {e.Message}"); return 1; }

        var image = line.Get("--image") ?? config.Nodes.Select(n => n.Image).FirstOrDefault(i => i is not null) ?? toolbox.Versions.NodeImage;
        FakeCluster cluster;
        lock (toolbox.State)
        {
            if (toolbox.Cluster(name) is not null)
            {
                call.ErrLine($"ERROR: failed to create cluster: node(s) already exist for a cluster with the name \"{name}\"");
                return 1;
            }
            toolbox.Docker.KindNetworkExists = true;
            var containers = new List<FakeContainer>();
            foreach (var role in new[] { "control-plane", "worker" })
            {
                var ofRole = config.Nodes.Where(n => n.Role == role).ToList();
                for (var i = 0; i < ofRole.Count; i++)
                    containers.Add(toolbox.Docker.AddContainer($"{name}-{role}{(i == 0 ? "" : (i + 1).ToString(CultureInfo.InvariantCulture))}", name, role, ofRole[i].Image ?? image));
            }
            cluster = new FakeCluster(name, configText, image, config.PodSubnet, config.ServiceSubnet, containers);
            toolbox.AddCluster(cluster);
        }

        var friendlyImage = image.Split('@')[0];
        call.ErrLine($"Creating cluster \"{name}\" ...");
        Step(call, $"Ensuring node image ({friendlyImage}) 🖼️");
        Step(call, $"Preparing nodes {string.Concat(Enumerable.Repeat("📦 ", cluster.Nodes.Count))}");
        Step(call, "Writing configuration 📜");
        call.ErrLine(" • Starting control-plane 🕹️  ...");
        var started = DateTime.UtcNow;
        await call.PauseAsync();
        var api = await FakeKubernetesApi.StartAsync(new FakeKubernetesApiOptions
        {
            ClusterName = name,
            KubernetesVersion = toolbox.KubernetesVersion,
            Nodes = [.. cluster.Nodes.Select((n, i) => new FakeNode(n.Name, n.IpAddress, Ipv4.Subnet(config.PodSubnet, 24, i), n.Role))],
            ServiceSubnet = config.ServiceSubnet,
            LoadBalancerDelay = toolbox.LoadBalancerDelay,
        }, call.Aborted);
        call.ErrLine(" ✓ Starting control-plane 🕹️");
        Step(call, "Installing CNI 🔌");
        Step(call, "Installing StorageClass 💾");
        if (cluster.Nodes.Any(n => n.Role == "worker")) Step(call, "Joining worker nodes 🚜");
        if (line.Get("--wait") is { } wait && wait != "0s" && wait != "0")
        {
            Step(call, $"Waiting ≤ {FormatDuration(ParseDuration(wait))} for control-plane = Ready ⏳");
            call.ErrLine($" • Ready after {FormatDuration(DateTime.UtcNow - started)} 💚");
        }
        toolbox.OnApiStarted(name, api);
        lock (toolbox.State)
        {
            cluster.Api = api;
            var path = FakeKubeconfig.PathFor(call, line.Get("--kubeconfig"));
            var kubeconfig = FakeKubeconfig.Load(path);
            FakeKubeconfig.Upsert(kubeconfig, cluster.ContextName, api.Url.ToString().TrimEnd('/'), setCurrent: true);
            FakeKubeconfig.Save(path, kubeconfig);
        }
        call.ErrLine($"Set kubectl context to \"{cluster.ContextName}\"");
        call.ErrLine("You can now use your cluster with:");
        call.ErrLine();
        call.ErrLine($"kubectl cluster-info --context {cluster.ContextName}{(line.Get("--kubeconfig") is { } k ? " --kubeconfig " + k : "")}");
        call.ErrLine();
        call.ErrLine("Have a nice day! 👋");
        return 0;
    }

    private async Task<int> DeleteAsync(FakeCall call, string name, string? kubeconfigFlag, bool quiet = false)
    {
        if (DockerProblem(call, $"failed to delete cluster \"{name}\"", ListCommand) is { } failure) return failure;
        if (!quiet) call.ErrLine($"Deleting cluster \"{name}\" ...");
        await call.PauseAsync();
        FakeCluster? cluster;
        lock (toolbox.State)
        {
            cluster = toolbox.RemoveCluster(name);
            var path = FakeKubeconfig.PathFor(call, kubeconfigFlag);
            if (File.Exists(path))
            {
                var kubeconfig = FakeKubeconfig.Load(path);
                FakeKubeconfig.RemoveKindEntries(kubeconfig, "kind-" + name);
                FakeKubeconfig.Save(path, kubeconfig);
            }
        }
        if (cluster is null) return 0;
        if (cluster.Api is { } api) await api.DisposeAsync();
        if (!quiet) call.ErrLine($"Deleted nodes: [{string.Join(' ', cluster.Nodes.Select(n => $"\"{n.Name}\""))}]");
        return 0;
    }

    private int ExportKubeconfig(FakeCall call, string name, string? kubeconfigFlag)
    {
        if (DockerProblem(call, "failed to export kubeconfig", ListCommand) is { } failure) return failure;
        if (ControlPlaneProblem(call, name) is { } missing) return missing;
        lock (toolbox.State)
        {
            var cluster = toolbox.Cluster(name)!;
            var path = FakeKubeconfig.PathFor(call, kubeconfigFlag);
            var kubeconfig = FakeKubeconfig.Load(path);
            FakeKubeconfig.Upsert(kubeconfig, cluster.ContextName, cluster.Api!.Url.ToString().TrimEnd('/'), setCurrent: true);
            FakeKubeconfig.Save(path, kubeconfig);
        }
        call.ErrLine($"Set kubectl context to \"kind-{name}\"");
        return 0;
    }

    private int? ControlPlaneProblem(FakeCall call, string name)
    {
        var cluster = toolbox.Cluster(name);
        if (cluster is null)
        {
            call.ErrLine($"ERROR: could not locate any control plane nodes for cluster named '{name}'. Use the --name option to select a different cluster");
            return 1;
        }
        if (cluster.Api is null)
        {
            call.ErrLine($"ERROR: failed to get cluster internal kubeconfig: command \"docker exec --privileged {cluster.ControlPlane.Name} cat /etc/kubernetes/admin.conf\" failed with error: exit status 1");
            call.ErrLine();
            call.ErrLine("Command Output: cat: /etc/kubernetes/admin.conf: No such file or directory");
            return 1;
        }
        return null;
    }

    private int LoadImageArchive(FakeCall call, string name, string archive)
    {
        if (DockerProblem(call, "failed to load image", ListCommand) is { } failure) return failure;
        var cluster = toolbox.Cluster(name);
        if (cluster is null) { call.ErrLine($"ERROR: no nodes found for cluster \"{name}\""); return 1; }
        IReadOnlyList<string> names;
        try { names = ContainerdImport.Names(call.ResolvePath(archive), DateOnly.FromDateTime(DateTime.UtcNow)); }
        catch (NotSupportedException) { return toolbox.NotImplemented(call); }
        catch (FormatException e)
        {
            // image-archive.go loadImage -> nodeutils.LoadImageArchive: errors.Wrap(err, "failed to load image") around
            // pkg/exec/types.go's "command %q failed with error: %v" for the node's docker exec (docker/node.go Run adds
            // -i for stdin); cmd/kind/app/main.go logError adds the command's output. ctr prints "ctr: <error>"
            // (cmd/ctr/main.go); how the transfer service's gRPC error wraps the message is not transcribed.
            call.ErrLine($"ERROR: failed to load image: command \"docker exec --privileged -i {cluster.ControlPlane.Name} ctr --namespace=k8s.io images import --all-platforms --digests --snapshotter=overlayfs -\" failed with error: exit status 1");
            call.ErrLine();
            call.ErrLine($"Command Output: ctr: {e.Message}");
            return 1;
        }
        foreach (var image in names) cluster.AddLoadedImage(image);
        return 0;
    }

    private static void Step(FakeCall call, string status)
    {
        call.ErrLine($" • {status}  ...");
        call.ErrLine($" ✓ {status}");
    }

    private static TimeSpan ParseDuration(string text)
    {
        var total = TimeSpan.Zero;
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(text, @"(\d+(?:\.\d+)?)(h|ms|m|s)"))
        {
            var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            total += m.Groups[2].Value switch { "h" => TimeSpan.FromHours(value), "m" => TimeSpan.FromMinutes(value), "ms" => TimeSpan.FromMilliseconds(value), _ => TimeSpan.FromSeconds(value) };
        }
        return total;
    }

    /// <summary>Go's time.Duration formatting rounded to seconds, as kind prints it ("2m0s", "15s").</summary>
    private static string FormatDuration(TimeSpan d)
    {
        var seconds = (long)Math.Round(d.TotalSeconds);
        if (seconds < 60) return $"{seconds}s";
        if (seconds < 3600) return $"{seconds / 60}m{seconds % 60}s";
        return $"{seconds / 3600}h{seconds % 3600 / 60}m{seconds % 60}s";
    }
}
