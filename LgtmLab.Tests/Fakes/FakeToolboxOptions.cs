using LgtmLab.AppHost.Configuration;

namespace LgtmLab.Tests.Fakes;

/// <summary>How a <see cref="FakeToolbox"/> starts. Everything here can also be changed while it runs.</summary>
internal sealed class FakeToolboxOptions
{
    /// <summary>The versions the fakes report and the charts helm accepts; default: the repository's lab-assets/versions.yaml.</summary>
    public LabVersions? Versions { get; init; }

    /// <summary>False: no docker executable in the fake directory (and the PATH given holds none).</summary>
    public bool DockerInstalled { get; init; } = true;

    /// <summary>False: docker answers "Cannot connect to the Docker daemon ...".</summary>
    public bool DockerDaemonRunning { get; init; } = true;

    public long DockerMemoryBytes { get; init; } = 8L * 1024 * 1024 * 1024;

    public int DockerCpus { get; init; } = 4;

    /// <summary>The IPv4 subnet docker gives the "kind" network when kind creates it.</summary>
    public string KindNetworkSubnet { get; init; } = "172.18.0.0/16";

    /// <summary>Delay before a LoadBalancer Service of a fake cluster gets its address.</summary>
    public TimeSpan LoadBalancerDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>True (default): helm refuses a chart/version/repo that lab-assets/versions.yaml does not pin, as a repo without it would.</summary>
    public bool OnlyPinnedCharts { get; init; } = true;
}
