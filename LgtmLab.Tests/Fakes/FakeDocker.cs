namespace LgtmLab.Tests.Fakes;

/// <summary>The fake docker engine: daemon up or down, its resources, the "kind" network and the node containers.</summary>
internal sealed class FakeDocker
{
    private readonly FakeToolbox _toolbox;
    private readonly List<FakeContainer> _containers = [];
    private bool _installed;

    internal FakeDocker(FakeToolbox toolbox, FakeToolboxOptions options)
    {
        _toolbox = toolbox;
        _installed = options.DockerInstalled;
        DaemonRunning = options.DockerDaemonRunning;
        MemTotalBytes = options.DockerMemoryBytes;
        Cpus = options.DockerCpus;
        KindSubnet = options.KindNetworkSubnet;
    }

    /// <summary>Whether a docker executable exists in the fake directory (toggle at will).</summary>
    public bool Installed
    {
        get => _installed;
        set { _installed = value; _toolbox.WriteScripts(); }
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

    public IReadOnlyList<FakeContainer> Containers { get { lock (_containers) return [.. _containers]; } }

    public FakeContainer? Container(string nameOrId)
    {
        lock (_containers) return _containers.FirstOrDefault(c => c.Name == nameOrId || c.Id.StartsWith(nameOrId, StringComparison.Ordinal));
    }

    internal FakeContainer AddContainer(string name, string cluster, string role, string image)
    {
        lock (_containers)
        {
            var used = _containers.Select(c => Ipv4.Parse(c.IpAddress)).ToHashSet();
            var candidate = Ipv4.ParseCidr(KindSubnet).Network + 2;
            while (used.Contains(candidate)) candidate++;
            var container = new FakeContainer(name, cluster, role, Ipv4.Format(candidate), image);
            _containers.Add(container);
            return container;
        }
    }

    internal void RemoveContainers(string cluster)
    {
        lock (_containers) _containers.RemoveAll(c => c.ClusterName == cluster);
    }
}
