namespace LgtmLab.Tests.Fakes;

/// <summary>The fake docker engine: daemon up or down, its resources, the "kind" network and the node containers.</summary>
internal sealed class FakeDocker
{
    private readonly FakeToolbox toolbox;
    private readonly List<FakeContainer> containers = [];
    private bool installed;

    internal FakeDocker(FakeToolbox toolbox, FakeToolboxOptions options)
    {
        this.toolbox = toolbox;
        installed = options.DockerInstalled;
        DaemonRunning = options.DockerDaemonRunning;
        MemTotalBytes = options.DockerMemoryBytes;
        Cpus = options.DockerCpus;
        KindSubnet = options.KindNetworkSubnet;
    }

    /// <summary>Whether a docker executable exists in the fake directory (toggle at will).</summary>
    public bool Installed
    {
        get => installed;
        set { installed = value; toolbox.WriteScripts(); }
    }

    public bool DaemonRunning { get; set; }

    public long MemTotalBytes { get; set; }

    public int Cpus { get; set; }

    public string ServerVersion { get; set; } = "28.2.2";

    public string OperatingSystem { get; set; } = "Debian GNU/Linux 12 (bookworm)";

    public string KindSubnet { get; }

    public const string KindIpv6Subnet = "fc00:f853:ccd:e793::/64";

    public string KindGateway => Ipv4.Format(Ipv4.ParseCidr(KindSubnet).Network + 1);

    /// <summary>Created by the first `kind create cluster`, as kind does; never removed.</summary>
    public bool KindNetworkExists { get; internal set; }

    public IReadOnlyList<FakeContainer> Containers { get { lock (containers) return [.. containers]; } }

    public FakeContainer? Container(string nameOrId)
    {
        lock (containers) return containers.FirstOrDefault(c => c.Name == nameOrId || c.Id.StartsWith(nameOrId, StringComparison.Ordinal));
    }

    internal FakeContainer AddContainer(string name, string cluster, string role, string image)
    {
        lock (containers)
        {
            var used = containers.Select(c => Ipv4.Parse(c.IpAddress)).ToHashSet();
            var candidate = Ipv4.ParseCidr(KindSubnet).Network + 2;
            while (used.Contains(candidate)) candidate++;
            var container = new FakeContainer(name, cluster, role, Ipv4.Format(candidate), image);
            containers.Add(container);
            return container;
        }
    }

    internal void RemoveContainers(string cluster)
    {
        lock (containers) containers.RemoveAll(c => c.ClusterName == cluster);
    }
}
