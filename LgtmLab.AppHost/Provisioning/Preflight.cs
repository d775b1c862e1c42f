using System.Globalization;
using System.Net;
using System.Net.Sockets;
using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Steps;
using LgtmLab.AppHost.Tools;
using LgtmLab.AppHost.Tools.Installation;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Provisioning;

/// <summary>Where preflight reads kernel limits; tests point it at a folder of their own.</summary>
internal sealed record PreflightSettings
{
    public string ProcSysDirectory { get; init; } = "/proc/sys";
    /// <summary>kind on Linux runs its nodes on the host kernel; elsewhere Docker's VM has its own limits.</summary>
    public bool CheckInotify { get; init; } = OperatingSystem.IsLinux();
}

/// <summary>The result of preflight: every problem found, each saying what to do. Empty when the lab can run.</summary>
internal sealed record PreflightResult(IReadOnlyList<string> Problems, IReadOnlyList<string> ExistingClusters)
{
    public bool Passed => Problems.Count == 0;
}

/// <summary>Checks that need no change to anything, run before the first step: Docker, memory, kernel limits, tools, ports, network.</summary>
internal sealed class Preflight(LabServices lab, PreflightSettings settings)
{
    public const long MinInotifyWatches = 524288;
    public const long MinInotifyInstances = 512;

    public async Task<PreflightResult> RunAsync(ILogger logger, CancellationToken cancellationToken)
    {
        DockerInfo docker;
        try
        {
            docker = await lab.Docker.InfoAsync(logger, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ToolNotFoundException or DockerNotRunningException)
        {
            return new PreflightResult([e.Message], []);
        }
        logger.LogInformation("Docker {Version}: {Memory:F1} GiB, {Cpus} CPUs", docker.ServerVersion, docker.MemTotalBytes / (1024.0 * MiB), docker.Cpus);

        var problems = new List<string>();
        // The same table the README shows, read from lab-assets: the sum of the limits the lab sets.
        var required = Observability.MemoryBudget.Load(lab.Assets).TotalLimitMiB(lab.Topology.Options) * MiB;
        if (docker.MemTotalBytes < required)
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"Docker has {Gib(docker.MemTotalBytes)} GiB of memory; the chosen components need {Gib(required)} GiB: raise Docker's memory limit (Docker Desktop: Settings > Resources) or turn components off (e.g. Lab:Components:Lgtm=false)"));
        problems.AddRange(InotifyProblems());

        var tools = await Task.WhenAll(
            Probe(() => lab.Kind.VersionAsync(logger, cancellationToken)),
            Probe(() => lab.Kubectl.ClientVersionAsync(logger, cancellationToken)),
            Probe(() => lab.Helm.VersionAsync(logger, cancellationToken))).ConfigureAwait(false);
        problems.AddRange(tools.OfType<string>());
        if (tools.Any(t => t is not null)) return new PreflightResult(problems, []);

        var existing = await lab.Kind.GetClustersAsync(logger, cancellationToken).ConfigureAwait(false);
        foreach (var cluster in lab.Topology.Clusters.Where(c => !existing.Contains(c.Name)))
            foreach (var mapping in cluster.PortMappings.Where(m => !IsFree(m.HostPort)))
                problems.Add($"host port {mapping.HostPort} ({mapping.ConfigKey}) for cluster {cluster.Name} is in use: stop what listens on it, or set {mapping.ConfigKey} to a free port");

        var subnets = await lab.Docker.NetworkSubnetsAsync(NodeRoutesStep.KindNetwork, logger, cancellationToken).ConfigureAwait(false);
        if (subnets is { Count: > 0 })
            problems.AddRange(LoadBalancerPools.Check(lab.Topology, subnets[0]).Select(e => e.ToString()));
        return new PreflightResult(problems, existing);
    }

    private static async Task<string?> Probe(Func<Task<string>> version)
    {
        try
        {
            await version().ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is ToolNotFoundException or ToolInstallationException or ToolFailedException or InvalidOperationException or HttpRequestException)
        {
            return e.Message;
        }
    }

    private IEnumerable<string> InotifyProblems()
    {
        if (!settings.CheckInotify) yield break;
        foreach (var (name, minimum) in new[] { ("max_user_watches", MinInotifyWatches), ("max_user_instances", MinInotifyInstances) })
        {
            var file = Path.Combine(settings.ProcSysDirectory, "fs", "inotify", name);
            if (!File.Exists(file) || !long.TryParse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture, out var value)) continue;
            if (value < minimum)
                yield return $"fs.inotify.{name} is {value}; kind needs at least {minimum} (nodes fail with \"too many open files\"): run `sudo sysctl fs.inotify.{name}={minimum}` "
                    + $"and add `fs.inotify.{name} = {minimum}` to /etc/sysctl.d/99-kind.conf to keep it";
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private const long MiB = 1024 * 1024;

    private static string Gib(long bytes) => (bytes / (1024.0 * MiB)).ToString("F1", CultureInfo.InvariantCulture);
}
