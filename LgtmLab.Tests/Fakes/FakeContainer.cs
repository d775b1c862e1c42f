namespace LgtmLab.Tests.Fakes;

/// <summary>A kind node container in the fake docker: name, role, address on the "kind" network, routes.</summary>
public sealed class FakeContainer
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

    /// <summary>Routes added with `ip route add|replace CIDR via IP` inside the node: CIDR -> gateway.</summary>
    public IReadOnlyDictionary<string, string> Routes { get { lock (RoutesVia) return new Dictionary<string, string>(RoutesVia); } }

    internal Dictionary<string, string> RoutesVia { get; } = [];

    public IReadOnlyDictionary<string, string> Labels => new Dictionary<string, string>
    {
        ["io.x-k8s.kind.cluster"] = ClusterName,
        ["io.x-k8s.kind.role"] = Role,
    };
}
