using System.Text.Json;
using LgtmLab.AppHost.Configuration;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Tools;

/// <summary>The docker commands the lab uses: daemon facts, the kind network, node addresses and node routes.</summary>
internal sealed class Docker(ToolRunner runner)
{
    public const string Executable = "docker";

    public static ToolNotFoundException NotInstalled() => new(
        "Docker is not installed (no docker on PATH): install Docker Desktop or Docker Engine (https://docs.docker.com/get-docker/), start it, then run the lab again");

    /// <summary><c>docker info</c>; throws <see cref="DockerNotRunningException"/> when the daemon does not answer.</summary>
    public async Task<DockerInfo> InfoAsync(ILogger logger, CancellationToken cancellationToken)
    {
        ToolResult result;
        try
        {
            result = await runner.RunAsync(new(Executable, ["info", "--format", "{{json .}}"], Mutates: false) { LogStandardOutput = false },
                logger, cancellationToken).ConfigureAwait(false);
        }
        catch (ToolFailedException e)
        {
            throw new DockerNotRunningException(ToolFailedException.Tail(e.Result, 2));
        }
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        if (root.TryGetProperty("ServerErrors", out var serverErrors) && serverErrors.ValueKind == JsonValueKind.Array && serverErrors.GetArrayLength() > 0)
            throw new DockerNotRunningException(string.Join(" | ", serverErrors.EnumerateArray().Select(e => e.GetString())));
        return new DockerInfo(
            root.TryGetProperty("ServerVersion", out var version) ? version.GetString() ?? "" : "",
            root.TryGetProperty("MemTotal", out var memory) ? memory.GetInt64() : 0,
            root.TryGetProperty("NCPU", out var cpus) ? cpus.GetInt32() : 0);
    }

    /// <summary>
    /// The node containers of a kind cluster, stopped ones included, as kind itself lists them
    /// (kind v0.32.0 pkg/cluster/internal/providers/docker/provider.go ListNodes: <c>ps -a --filter label=...=NAME</c>).
    /// </summary>
    public async Task<IReadOnlyList<NodeContainer>> KindNodesAsync(string cluster, ILogger logger, CancellationToken cancellationToken)
    {
        // docker/cli v28.2.2 cli/command/formatter/formatter.go preFormat turns the two characters \t into a tab.
        var result = await runner.RunAsync(
            new(Executable, ["ps", "-a", "--filter", $"label={Kind.ClusterLabel}={cluster}", "--format", @"{{.Names}}\t{{.State}}"], Mutates: false)
            { LogStandardOutput = false }, logger, cancellationToken).ConfigureAwait(false);
        return result.StandardOutput
            .Select(line => line.Trim().Split('\t'))
            .Where(fields => fields is [{ Length: > 0 }, _])
            .Select(fields => new NodeContainer(fields[0], fields[1]))
            .ToList();
    }

    /// <summary><c>docker start</c> of the given containers; the ones the daemon could not start, each with its reason (empty when all started).</summary>
    public async Task<IReadOnlyList<ContainerStartFailure>> StartAsync(IReadOnlyList<string> containers, ILogger logger, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(new(Executable, ["start", .. containers], Mutates: true) { AcceptedExitCodes = [0, 1] },
            logger, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode == 0) return [];
        if (result.Error.Contains("Cannot connect to the Docker daemon", StringComparison.Ordinal))
            throw new DockerNotRunningException(result.StandardError[0]);
        // docker/cli v28.2.2 cli/command/container/start.go startContainersWithoutAttachments: the name of each started
        // container on stdout, the error of each failed one on stderr (in order), then "Error: failed to start containers: a, b".
        var started = result.StandardOutput.Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
        var failed = containers.Where(c => !started.Contains(c)).ToList();
        if (failed.Count == 0) throw new ToolFailedException($"docker start {string.Join(' ', containers)}", result, isTransient: false);
        var reasons = result.StandardError.Where(l => l.Trim().Length > 0 && !l.StartsWith("Error: failed to start containers:", StringComparison.Ordinal)).ToList();
        return failed.Select((container, i) => new ContainerStartFailure(container,
                reasons.Count == failed.Count ? reasons[i].Trim() : reasons.Count > 0 ? string.Join(" | ", reasons) : ToolFailedException.Tail(result)))
            .ToList();
    }

    /// <summary>The IPv4 subnets of a Docker network; null when the network does not exist (kind creates <c>kind</c> with its first cluster).</summary>
    public async Task<IReadOnlyList<Ipv4Cidr>?> NetworkSubnetsAsync(string network, ILogger logger, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(
            new(Executable, ["network", "inspect", network, "--format", "{{json .IPAM.Config}}"], Mutates: false)
            { AcceptedExitCodes = [0, 1], LogStandardOutput = false }, logger, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            return result.Error.Contains("not found", StringComparison.OrdinalIgnoreCase) || result.Error.Contains("No such network", StringComparison.OrdinalIgnoreCase)
                ? null
                : throw new ToolFailedException($"docker network inspect {network}", result, TransientToolErrors.IsTransient(result));
        }
        using var json = JsonDocument.Parse(result.Output);
        return json.RootElement.ValueKind != JsonValueKind.Array ? [] : json.RootElement.EnumerateArray()
            .Select(e => e.TryGetProperty("Subnet", out var s) ? s.GetString() : null)
            .Select(s => Ipv4Cidr.TryParse(s, out var cidr, out _) ? cidr : (Ipv4Cidr?)null)
            .OfType<Ipv4Cidr>()
            .ToList();
    }

    /// <summary>The IPv4 address of a container on a network (a kind node on <c>kind</c>).</summary>
    public async Task<string> ContainerAddressAsync(string container, string network, ILogger logger, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(
            new(Executable, ["inspect", "--format", "{{json .NetworkSettings.Networks}}", container], Mutates: false) { LogStandardOutput = false },
            logger, cancellationToken).ConfigureAwait(false);
        using var json = JsonDocument.Parse(result.Output);
        return json.RootElement.TryGetProperty(network, out var endpoint) && endpoint.TryGetProperty("IPAddress", out var ip) && ip.GetString() is { Length: > 0 } address
            ? address
            : throw new InvalidOperationException($"container {container} has no address on the Docker network '{network}'");
    }

    /// <summary><c>ip route show &lt;cidr&gt;</c> inside a node: the route's line, or empty when there is none.</summary>
    public async Task<string> RouteAsync(string node, Ipv4Cidr destination, ILogger logger, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(new(Executable, ["exec", node, "ip", "route", "show", destination.ToString()], Mutates: false),
            logger, cancellationToken).ConfigureAwait(false);
        return result.Output.Trim();
    }

    /// <summary><c>ip route replace &lt;cidr&gt; via &lt;gateway&gt;</c> inside a node (idempotent).</summary>
    public Task ReplaceRouteAsync(string node, Ipv4Cidr destination, string gateway, ILogger logger, CancellationToken cancellationToken) =>
        runner.RunAsync(new(Executable, ["exec", node, "ip", "route", "replace", destination.ToString(), "via", gateway], Mutates: true),
            logger, cancellationToken);

    /// <summary>The image references (<c>docker.io/lgtmlab/tns:abc</c>) the container runtime of a kind node holds: <c>crictl images -o json</c>.</summary>
    public async Task<IReadOnlyList<string>> NodeImagesAsync(string node, ILogger logger, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(new(Executable, ["exec", node, "crictl", "images", "-o", "json"], Mutates: false) { LogStandardOutput = false },
            logger, cancellationToken).ConfigureAwait(false);
        using var json = JsonDocument.Parse(result.Output);
        return !json.RootElement.TryGetProperty("images", out var images) || images.ValueKind != JsonValueKind.Array ? [] : images.EnumerateArray()
            .Where(i => i.TryGetProperty("repoTags", out var tags) && tags.ValueKind == JsonValueKind.Array)
            .SelectMany(i => i.GetProperty("repoTags").EnumerateArray().Select(t => t.GetString()))
            .OfType<string>()
            .ToList();
    }
}

/// <summary>What preflight needs from <c>docker info</c>.</summary>
internal sealed record DockerInfo(string ServerVersion, long MemTotalBytes, int Cpus);

/// <summary>The docker client is there but the daemon does not answer.</summary>
internal sealed class DockerNotRunningException(string detail)
    : Exception($"Docker is not running: {Sentence(detail)} Start Docker Desktop (or `sudo systemctl start docker`), then run the lab again")
{
    // The client's own message already ends a sentence ("... Is the docker daemon running?").
    private static string Sentence(string detail)
    {
        var text = detail.TrimEnd();
        return text.EndsWith('?') || text.EndsWith('.') || text.EndsWith('!') ? text : text + ".";
    }
}
