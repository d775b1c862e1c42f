using System.Text.Json.Nodes;
using LgtmLab.Tests.Fakes.Kubernetes;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// The fake `docker`: the commands the lab runs, `info`, `network inspect`, `inspect` and `exec NODE ip route
/// show|replace` / `exec NODE crictl images -o json` inside kind nodes (and `ip route del`, with which tests take a
/// route away). argv is parsed with docker 28.2.2's flags (<see cref="DockerFlags"/>) and refused as that client
/// refuses it. Outputs follow the docker 28 client (JSON key sets taken from `docker info --format '{{json .}}'`).
/// </summary>
internal sealed partial class DockerCli(FakeToolbox toolbox)
{
    private const string ClientVersion = "28.2.2";
    private const string NetworkId = "5f3b2cd8f1f4c7a0c7e5f7c9c3f2a1b0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4";

    private FakeDocker Docker => toolbox.Docker;

    public async Task<int> RunAsync(FakeCall call)
    {
        CommandLine root;
        try { root = CommandLine.Parse(call.Args, DockerFlags.Global, interspersed: false); }
        catch (ArgumentException e) { return FlagError(call, e.Message, "docker [OPTIONS] COMMAND [ARG...]", "docker"); }
        var words = root.Positionals;
        if (words.Count == 0 || root.Has("-v", "--version", "-h", "--help")) return toolbox.NotImplemented(call);
        if (!DockerFlags.TopLevel.Contains(words[0])) return UnknownCommand(call, $"docker {words[0]}", null, "docker");
        if (words[0] == "network" && words.Count > 1 && !words[1].StartsWith('-') && !DockerFlags.NetworkSubcommands.Contains(words[1]))
            return UnknownCommand(call, $"docker network {words[1]}", "docker network", "docker network");
        var command = words switch
        {
            ["info", ..] => DockerFlags.Info,
            ["inspect", ..] => DockerFlags.Inspect,
            ["exec", ..] => DockerFlags.Exec,
            ["network", "inspect", ..] => DockerFlags.NetworkInspect,
            ["ps", ..] => DockerFlags.Ps,
            ["start", ..] => DockerFlags.Start,
            _ => null,
        };
        if (command is null) return toolbox.NotImplemented(call);
        CommandLine line;
        try { line = CommandLine.Parse([.. words.Skip(command.Words.Length)], command.Flags, command.Interspersed); }
        catch (ArgumentException e) { return FlagError(call, e.Message, command.Usage, command.Path); }
        if (line.Has("-h", "--help")) return toolbox.NotImplemented(call);
        // docker/cli cli/required.go (NoArgs, RequiresMinArgs), as the 28.2.2 client prints them.
        if (command.Args == 0 && line.Positionals.Count > 0)
            return ArgsError(call, $"docker: '{command.Path}' accepts no arguments", command, "Run");
        if (line.Positionals.Count < command.Args)
            return ArgsError(call, $"docker: '{command.Path}' requires at least {command.Args} argument{(command.Args == 1 ? "" : "s")}", command, "See");
        if (command == DockerFlags.Info) return Info(call, line);
        if (command == DockerFlags.Ps && BadFilter(line) is { } filter)
            return FlagError(call, $"invalid argument \"{filter}\" for \"-f, --filter\" flag: bad format of filter (expected name=value)", command.Usage, command.Path);
        if (!Docker.DaemonRunning) return DaemonDown(call);
        if (command == DockerFlags.Start) return await StartAsync(call, line);
        return command == DockerFlags.Inspect ? Inspect(call, line)
            : command == DockerFlags.NetworkInspect ? NetworkInspect(call, line)
            : command == DockerFlags.Ps ? Ps(call, line)
            : Exec(call, line.Positionals);
    }

    /// <summary>docker 28.2.2 on a flag pflag refuses: the error, the usage line, exit 125 (docker/cli cli/flags FlagErrorFunc).</summary>
    private static int FlagError(FakeCall call, string error, string usage, string path)
    {
        call.Err($"{error}\n\nUsage:  {usage}\n\nRun '{path} --help' for more information\n");
        return 125;
    }

    private static int ArgsError(FakeCall call, string error, DockerCommand command, string verb)
    {
        call.Err($"{error}\n\nUsage:  {command.Usage}\n\n{verb} '{command.Path} --help' for more information\n");
        return 1;
    }

    /// <summary>docker 28.2.2 on a word that is no command (and no CLI plugin): exit 1.</summary>
    private static int UnknownCommand(FakeCall call, string words, string? usage, string path)
    {
        call.Err($"docker: unknown command: {words}\n\n{(usage is null ? "" : $"Usage:  {usage}\n\n")}Run '{path} --help' for more information\n");
        return 1;
    }

    internal static int DaemonDown(FakeCall call)
    {
        call.ErrLine(FakeToolErrors.DockerDaemonDown);
        return 1;
    }

    private int Info(FakeCall call, CommandLine line)
    {
        if (line.Get("--format", "-f") is not { } format) return toolbox.NotImplemented(call);
        call.OutLine(GoTemplate.Render(format, InfoObject()));
        return Docker.DaemonRunning ? 0 : DaemonDown(call);
    }

    private JsonObject InfoObject()
    {
        var up = Docker.DaemonRunning;
        var containers = up ? Docker.Containers.Count : 0;
        var running = up ? Docker.Containers.Count(c => c.Running) : 0;
        var info = new JsonObject
        {
            ["ID"] = up ? "f2a6c1f4-3b7e-4d55-9c1a-lgtmlab-fake" : "",
            ["Containers"] = containers, ["ContainersRunning"] = running, ["ContainersPaused"] = 0, ["ContainersStopped"] = containers - running,
            ["Images"] = up ? 1 : 0, ["Driver"] = up ? "overlay2" : "",
            ["DriverStatus"] = up ? new JsonArray(new JsonArray("Backing Filesystem", "extfs")) : null,
            ["Plugins"] = new JsonObject { ["Volume"] = null, ["Network"] = null, ["Authorization"] = null, ["Log"] = null },
            ["MemoryLimit"] = up, ["SwapLimit"] = up, ["CpuCfsPeriod"] = up, ["CpuCfsQuota"] = up, ["CPUShares"] = up, ["CPUSet"] = up,
            ["PidsLimit"] = up, ["IPv4Forwarding"] = up, ["Debug"] = false, ["NFd"] = up ? 42 : 0, ["OomKillDisable"] = false,
            ["NGoroutines"] = up ? 61 : 0, ["SystemTime"] = up ? DateTimeOffset.UtcNow.ToString("O") : "",
            ["LoggingDriver"] = up ? "json-file" : "", ["CgroupDriver"] = up ? "systemd" : "", ["CgroupVersion"] = up ? "2" : "",
            ["NEventsListener"] = 0, ["KernelVersion"] = up ? "6.8.0-generic" : "", ["OperatingSystem"] = up ? Docker.OperatingSystem : "",
            ["OSVersion"] = up ? "12" : "", ["OSType"] = up ? "linux" : "", ["Architecture"] = up ? "x86_64" : "",
            ["IndexServerAddress"] = up ? "https://index.docker.io/v1/" : "", ["RegistryConfig"] = null,
            ["NCPU"] = up ? Docker.Cpus : 0, ["MemTotal"] = up ? Docker.MemTotalBytes : 0, ["GenericResources"] = null,
            ["DockerRootDir"] = up ? "/var/lib/docker" : "", ["HttpProxy"] = "", ["HttpsProxy"] = "", ["NoProxy"] = "",
            ["Name"] = up ? "lab-host" : "", ["Labels"] = up ? new JsonArray() : null, ["ExperimentalBuild"] = false,
            ["ServerVersion"] = up ? Docker.ServerVersion : "",
            ["Runtimes"] = up ? new JsonObject { ["runc"] = new JsonObject { ["path"] = "runc" } } : null,
            ["DefaultRuntime"] = up ? "runc" : "",
            ["Swarm"] = new JsonObject
            {
                ["NodeID"] = "", ["NodeAddr"] = "", ["LocalNodeState"] = up ? "inactive" : "", ["ControlAvailable"] = false,
                ["Error"] = "", ["RemoteManagers"] = null,
            },
            ["LiveRestoreEnabled"] = false, ["Isolation"] = "", ["InitBinary"] = up ? "docker-init" : "",
            ["ContainerdCommit"] = new JsonObject { ["ID"] = up ? "05044ec0a9a75232cad458027ca83437aae3f4da" : "" },
            ["RuncCommit"] = new JsonObject { ["ID"] = up ? "v1.2.5-0-g59923ef" : "" },
            ["InitCommit"] = new JsonObject { ["ID"] = up ? "de40ad0" : "" },
            ["SecurityOptions"] = up ? new JsonArray("name=seccomp,profile=builtin", "name=cgroupns") : null,
            ["CDISpecDirs"] = up ? new JsonArray("/etc/cdi", "/var/run/cdi") : null,
            ["Warnings"] = null,
            ["ClientInfo"] = new JsonObject
            {
                ["Debug"] = false, ["Version"] = ClientVersion, ["DefaultAPIVersion"] = "1.50", ["GitCommit"] = "e6534b4",
                ["GoVersion"] = "go1.24.3", ["Os"] = "linux", ["Arch"] = "amd64", ["BuildTime"] = "Fri May 30 12:07:14 2025",
                ["Context"] = "default", ["Plugins"] = new JsonArray(), ["Warnings"] = null,
            },
        };
        // moby api/types/system/info.go (docker 28.2.2): CgroupVersion is `json:",omitempty"`, so a client without a
        // daemon leaves it out (checked against the real client: DockerInfoMatchesRealDockerTests).
        if (!up) info.Remove("CgroupVersion");
        return info;
    }

    // moby api/types/network network.go (Inspect: Name, `json:"Id"`, ..., IPAM, Containers, Options, Labels) and ipam.go
    // (IPAM{Driver, Options, Config}; IPAMConfig: Subnet, IPRange, Gateway `json:",omitempty"`, AuxAddress as
    // "AuxiliaryAddresses"), docker 28.x. The lab reads IPAM.Config[].Subnet only (Tools/Docker.cs NetworkSubnetsAsync).
    private JsonObject NetworkObject() => new()
    {
        ["Name"] = "kind", ["Id"] = NetworkId, ["Created"] = "2026-05-01T10:00:00.000000000Z", ["Scope"] = "local",
        ["Driver"] = "bridge", ["EnableIPv4"] = true, ["EnableIPv6"] = true,
        ["IPAM"] = new JsonObject
        {
            ["Driver"] = "default", ["Options"] = new JsonObject(),
            ["Config"] = new JsonArray(
                new JsonObject { ["Subnet"] = Docker.KindSubnet, ["Gateway"] = Docker.KindGateway },
                new JsonObject { ["Subnet"] = FakeDocker.KindIpv6Subnet }),
        },
        ["Internal"] = false, ["Attachable"] = false, ["Ingress"] = false,
        ["ConfigFrom"] = new JsonObject { ["Network"] = "" }, ["ConfigOnly"] = false,
        ["Containers"] = new JsonObject(Docker.Containers.Select(c => KeyValuePair.Create<string, JsonNode?>(c.Id, new JsonObject
        {
            ["Name"] = c.Name, ["EndpointID"] = c.Id[..32] + c.Id[..32], ["MacAddress"] = Mac(c),
            ["IPv4Address"] = c.IpAddress + "/" + Ipv4.ParseCidr(Docker.KindSubnet).Prefix, ["IPv6Address"] = Ipv6(c) + "/64",
        }))),
        ["Options"] = new JsonObject { ["com.docker.network.bridge.enable_ip_masquerade"] = "true", ["com.docker.network.driver.mtu"] = "1500" },
        ["Labels"] = new JsonObject(),
    };

    private int NetworkInspect(FakeCall call, CommandLine line)
    {
        var format = line.Get("--format", "-f");
        var found = new JsonArray();
        var missing = new List<string>();
        foreach (var name in line.Positionals)
        {
            if (name is "kind" or NetworkId && Docker.KindNetworkExists) found.Add(NetworkObject());
            else missing.Add(name);
        }
        Print(call, format, found);
        foreach (var name in missing) call.ErrLine($"Error response from daemon: network {name} not found");
        return missing.Count > 0 ? 1 : 0;
    }

    private int Inspect(FakeCall call, CommandLine line)
    {
        var format = line.Get("--format", "-f");
        var type = line.Get("--type");
        var found = new JsonArray();
        var missing = new List<string>();
        foreach (var name in line.Positionals)
        {
            if (type is null or "container" && Docker.Container(name) is { } container) found.Add(ContainerObject(container));
            else if (type is null or "network" && name == "kind" && Docker.KindNetworkExists) found.Add(NetworkObject());
            else missing.Add(name);
        }
        if (format is not null || found.Count > 0 || missing.Count == 0) Print(call, format, found);
        else call.OutLine("[]");
        foreach (var name in missing) call.ErrLine($"Error: No such object: {name}");
        return missing.Count > 0 ? 1 : 0;
    }

    private static void Print(FakeCall call, string? format, JsonArray found)
    {
        if (format is null) { call.OutLine(JsonYaml.ToJson(found, indented: true)); return; }
        foreach (var item in found) call.OutLine(GoTemplate.Render(format, item));
    }

    // moby api/types/container (InspectResponse: NetworkSettings.Networks map[string]*network.EndpointSettings) and
    // api/types/network/endpoint.go (EndpointSettings: IPAMConfig, Links, Aliases, NetworkID, EndpointID, Gateway,
    // IPAddress, IPPrefixLen, IPv6Gateway, GlobalIPv6Address, GlobalIPv6PrefixLen, MacAddress, DriverOpts; docker 28 adds
    // GwPriority and DNSNames). The lab reads NetworkSettings.Networks.<network>.IPAddress only (ContainerAddressAsync).
    private JsonObject ContainerObject(FakeContainer c)
    {
        var cluster = toolbox.Cluster(c.ClusterName);
        var apiPort = cluster?.Api?.Url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var ports = new JsonObject();
        if (c.Role == "control-plane" && apiPort is not null)
            ports["6443/tcp"] = new JsonArray(new JsonObject { ["HostIp"] = "127.0.0.1", ["HostPort"] = apiPort });
        return new JsonObject
        {
            ["Id"] = c.Id, ["Created"] = c.Created.ToString("O"), ["Path"] = "/usr/local/bin/entrypoint", ["Args"] = new JsonArray("/sbin/init"),
            ["State"] = new JsonObject
            {
                ["Status"] = c.State, ["Running"] = c.Running, ["Paused"] = false, ["Restarting"] = false, ["OOMKilled"] = false,
                ["Dead"] = false, ["Pid"] = c.Running ? 4242 : 0, ["ExitCode"] = c.ExitCode, ["Error"] = "", ["StartedAt"] = c.StartedAt.ToString("O"),
                ["FinishedAt"] = c.FinishedAt == default ? "0001-01-01T00:00:00Z" : c.FinishedAt.ToString("O"),
            },
            ["Image"] = "sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5",
            ["Name"] = "/" + c.Name, ["RestartCount"] = 0, ["Driver"] = "overlay2", ["Platform"] = "linux",
            ["HostConfig"] = new JsonObject { ["Privileged"] = true, ["PortBindings"] = ports.DeepClone(), ["NetworkMode"] = "kind" },
            ["Config"] = new JsonObject
            {
                ["Hostname"] = c.Name, ["Image"] = c.Image, ["Tty"] = true,
                ["Labels"] = new JsonObject(c.Labels.Select(l => KeyValuePair.Create<string, JsonNode?>(l.Key, l.Value))),
            },
            ["NetworkSettings"] = new JsonObject
            {
                ["Ports"] = ports,
                ["Networks"] = new JsonObject
                {
                    ["kind"] = new JsonObject
                    {
                        ["IPAMConfig"] = null, ["Links"] = null, ["Aliases"] = null, ["MacAddress"] = Mac(c), ["DriverOpts"] = null,
                        ["GwPriority"] = 0, ["NetworkID"] = NetworkId, ["EndpointID"] = c.Id[..32] + c.Id[..32],
                        ["Gateway"] = Docker.KindGateway, ["IPAddress"] = c.IpAddress,
                        ["IPPrefixLen"] = Ipv4.ParseCidr(Docker.KindSubnet).Prefix,
                        ["IPv6Gateway"] = "fc00:f853:ccd:e793::1", ["GlobalIPv6Address"] = Ipv6(c), ["GlobalIPv6PrefixLen"] = 64,
                        ["DNSNames"] = new JsonArray(c.Name, c.Id[..12]),
                    },
                },
            },
        };
    }

    private static string Mac(FakeContainer c) => $"02:42:ac:12:00:{Ipv4.Parse(c.IpAddress) & 255:x2}";

    private static string Ipv6(FakeContainer c) => $"fc00:f853:ccd:e793::{Ipv4.Parse(c.IpAddress) & 255:x}";

    private int Exec(FakeCall call, List<string> args)
    {
        var node = Docker.Container(args[0]);
        if (node is null) { call.ErrLine($"Error response from daemon: No such container: {args[0]}"); return 1; }
        // moby v28.2.2 daemon/errors.go errNotRunning, for an exec into a stopped container.
        if (!node.Running) { call.ErrLine($"Error response from daemon: container {node.Id} is not running"); return 1; }
        var command = args.Skip(1).ToList();
        if (command.FirstOrDefault() == "ip")
            return IpRoute(call, node, [.. command.Skip(1)]);
        if (command is ["crictl", "images", "-o" or "--output", "json"])
            return CrictlImages(call, node);
        call.ErrLine($"fake docker: `{string.Join(' ', command)}` inside a kind node is not implemented by LgtmLab.Tests/Fakes (only `ip route`, `crictl images -o json`); add it to DockerCli.cs");
        return 126;
    }

    /// <summary>The images a node's containerd holds as `crictl images -o json` lists them: what `kind load` put there, with Docker Hub names in full.</summary>
    private int CrictlImages(FakeCall call, FakeContainer node)
    {
        var loaded = toolbox.Cluster(node.ClusterName)?.LoadedImages ?? [];
        var images = new JsonArray(loaded.Distinct().Select(image => (JsonNode)new JsonObject
        {
            ["id"] = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(image))),
            ["repoTags"] = new JsonArray(FullReference(image)),
            ["repoDigests"] = new JsonArray(),
            // uint64: protojson writes it as a JSON string.
            ["size"] = "98304000",
            // uid (Int64Value) and spec (ImageSpec) are messages: EmitDefaultValues leaves an unset one out, not null.
            ["username"] = "",
            ["pinned"] = false,
        }).ToArray());
        // cri-tools v1.36.0 (kind v0.32.0 images/base/Dockerfile CRICTL_VERSION) cmd/crictl/image.go `images -o json` ->
        // util.go outputProtobufObjAsJSON: protojson.MarshalOptions{EmitDefaultValues: true, Indent: "  "} of the CRI
        // ListImagesResponse (k8s.io/cri-api v0.36.0 api.pb.go Image: id, repoTags, repoDigests, size, uid, username,
        // spec, pinned, in field-number order). protojson may add a second space after a colon (detrand); JSON either way.
        call.OutLine(JsonYaml.ToJson(new JsonObject { ["images"] = images }, indented: true));
        return 0;
    }

    /// <summary>containerd's name for an image: docker.io/ (and library/) in front of a Docker Hub short name.</summary>
    private static string FullReference(string image)
    {
        var first = image.Split('/')[0];
        var hasRegistry = image.Contains('/') && (first.Contains('.') || first.Contains(':') || first == "localhost");
        if (hasRegistry) return image;
        return image.Contains('/') ? "docker.io/" + image : "docker.io/library/" + image;
    }

    private int IpRoute(FakeCall call, FakeContainer node, List<string> args)
    {
        if (args is not ["route", "show" or "replace" or "del", ..])
        {
            call.ErrLine($"fake docker: `ip {string.Join(' ', args)}` is not implemented by LgtmLab.Tests/Fakes (only `ip route show|replace|del`); add it to DockerCli.cs");
            return 126;
        }
        var verb = args[1];
        var prefix = args.ElementAtOrDefault(2);
        var via = args.IndexOf("via") is var v and >= 0 ? args.ElementAtOrDefault(v + 1) : null;
        if (prefix is not null && prefix != "default" && !IsPrefix(prefix))
        {
            call.ErrLine($"Error: any valid prefix is expected rather than \"{prefix}\".");
            return 1;
        }
        lock (node.RoutesVia)
        {
            switch (verb)
            {
                case "show":
                    var network = Ipv4.ParseCidr(Docker.KindSubnet);
                    var lines = new List<(string Prefix, string Text)>
                    {
                        ("default", $"default via {Docker.KindGateway} dev eth0"),
                        ($"{Ipv4.Format(network.Network)}/{network.Prefix}", $"{Ipv4.Format(network.Network)}/{network.Prefix} dev eth0 proto kernel scope link src {node.IpAddress}"),
                    };
                    lines.AddRange(node.RoutesVia.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (r.Key, $"{r.Key} via {r.Value} dev eth0")));
                    foreach (var (routePrefix, text) in lines)
                        if (prefix is null || Normalize(routePrefix) == Normalize(prefix)) call.OutLine(text);
                    return 0;
                case "replace":
                    if (prefix is null || via is null) { call.ErrLine("Error: either \"to\" is duplicate, or \"via\" is a garbage."); return 1; }
                    if (!Ipv4.TryParse(via, out _) || !Ipv4.Contains(Docker.KindSubnet, via) || via == node.IpAddress)
                    {
                        call.ErrLine("Error: Nexthop has invalid gateway.");
                        return 2;
                    }
                    node.RoutesVia[Normalize(prefix)] = via;
                    return 0;
                default:
                    if (prefix is null || !node.RoutesVia.Remove(Normalize(prefix))) { call.ErrLine("RTNETLINK answers: No such process"); return 2; }
                    return 0;
            }
        }
    }

    private static bool IsPrefix(string text)
    {
        try { Ipv4.ParseCidr(text); return true; }
        catch (Exception e) when (e is FormatException or OverflowException) { return false; }
    }

    private static string Normalize(string prefix)
    {
        if (prefix == "default") return prefix;
        var (network, length) = Ipv4.ParseCidr(prefix);
        return $"{Ipv4.Format(network)}/{length}";
    }
}
