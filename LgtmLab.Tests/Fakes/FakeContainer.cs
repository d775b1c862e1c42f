namespace LgtmLab.Tests.Fakes;

/// <summary>A kind node container in the fake docker: name, role, address on the "kind" network, routes.</summary>
internal sealed class FakeContainer
{
    internal FakeContainer(string name, string clusterName, string role, string ipAddress, string image)
    {
        Name = name;
        ClusterName = clusterName;
        Role = role;
        IpAddress = ipAddress;
        Image = image;
        Id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    }

    public string Id { get; }

    public string Name { get; }

    public string ClusterName { get; }

    /// <summary>"control-plane" or "worker".</summary>
    public string Role { get; }

    public string IpAddress { get; }

    public string Image { get; }

    public DateTimeOffset Created { get; } = DateTimeOffset.UtcNow;

    /// <summary>"running" or "exited" (moby api/types/container/state.go ContainerState), as `docker ps` shows it.</summary>
    public string State { get; private set; } = "running";

    public bool Running => State == "running";

    public int ExitCode { get; private set; }

    public DateTimeOffset StartedAt { get; private set; } = DateTimeOffset.UtcNow;

    public DateTimeOffset FinishedAt { get; private set; }

    /// <summary>When set, `docker start` of this container fails with this daemon error (see <see cref="FakeToolErrors.HostPortAllocated"/>).</summary>
    public string? StartRefusal { get; set; }

    /// <summary>The processes end; the routes added inside go with the container's network namespace.</summary>
    internal void Stop(int exitCode)
    {
        lock (RoutesVia)
        {
            State = "exited";
            ExitCode = exitCode;
            FinishedAt = DateTimeOffset.UtcNow;
            RoutesVia.Clear();
        }
    }

    internal void Start()
    {
        State = "running";
        ExitCode = 0;
        StartedAt = DateTimeOffset.UtcNow;
    }

    /// <summary>Routes added with `ip route add|replace CIDR via IP` inside the node: CIDR -> gateway.</summary>
    public IReadOnlyDictionary<string, string> Routes { get { lock (RoutesVia) return new Dictionary<string, string>(RoutesVia); } }

    internal Dictionary<string, string> RoutesVia { get; } = [];

    public IReadOnlyDictionary<string, string> Labels => new Dictionary<string, string>
    {
        ["io.x-k8s.kind.cluster"] = ClusterName,
        ["io.x-k8s.kind.role"] = Role,
    };
}
