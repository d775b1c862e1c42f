using System.Text.Json.Nodes;
using LgtmLab.Tests.Fakes.Kubernetes;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// The fake `docker`: info, version, network inspect/ls, inspect, ps, and `exec NODE ip route ...|crictl images` inside kind
/// nodes. Outputs follow the docker 28 client (JSON key sets taken from `docker info --format '{{json .}}'`).
/// </summary>
internal sealed class DockerCli(FakeToolbox toolbox)
{
    private const string ClientVersion = "28.2.2";
    private const string NetworkId = "5f3b2cd8f1f4c7a0c7e5f7c9c3f2a1b0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4";
    private static readonly HashSet<string> GlobalValueFlags = ["--context", "-c", "-H", "--host", "--config", "-l", "--log-level"];
    private static readonly HashSet<string> ValueFlags =
        ["--format", "-f", "--filter", "--type", "-e", "--env", "-w", "--workdir", "-u", "--user", "--env-file", "--detach-keys", "-n", "--last"];

    private FakeDocker Docker => toolbox.Docker;

    public int Run(FakeCall call)
    {
        var args = call.Args.ToList();
        while (args.Count > 0 && args[0].StartsWith('-') && args[0] is not ("--version" or "-v"))
        {
            if (GlobalValueFlags.Contains(args[0]) && args.Count > 1) args.RemoveAt(0);
            args.RemoveAt(0);
        }
        if (args.Count == 0) { call.OutLine("Usage:  docker [OPTIONS] COMMAND"); return 0; }
        if (args[0] is "--version" or "-v") { call.OutLine($"Docker version {ClientVersion}, build e6534b4"); return 0; }
        var rest = args.Skip(1).ToList();
        switch (args[0])
        {
            case "info": return Info(call, rest);
            case "version": return Version(call, rest);
        }
        if (!Docker.DaemonRunning) return DaemonDown(call);
        return args[0] switch
        {
            "network" when rest.FirstOrDefault() == "inspect" => NetworkInspect(call, rest.Skip(1).ToList()),
            "network" when rest.FirstOrDefault() is "ls" or "list" => NetworkList(call, rest.Skip(1).ToList()),
            "inspect" => Inspect(call, rest),
            "container" when rest.FirstOrDefault() == "inspect" => Inspect(call, rest.Skip(1).ToList()),
            "ps" => Ps(call, rest),
            "container" when rest.FirstOrDefault() is "ls" or "list" => Ps(call, rest.Skip(1).ToList()),
            "exec" => Exec(call, rest),
            _ => toolbox.NotImplemented(call),
        };
    }

    internal static int DaemonDown(FakeCall call)
    {
        call.ErrLine(FakeToolErrors.DockerDaemonDown);
        return 1;
    }

    private int Info(FakeCall call, List<string> args)
    {
        var format = CommandLine.Parse(args, ValueFlags).Get("--format", "-f");
        var info = InfoObject();
        if (format is not null) call.OutLine(GoTemplate.Render(format, info));
        else if (Docker.DaemonRunning)
        {
            call.OutLine("Client:");
            call.OutLine($" Version:    {ClientVersion}");
            call.OutLine(" Context:    default");
            call.OutLine();
            call.OutLine("Server:");
            call.OutLine($" Containers: {Docker.Containers.Count}");
            call.OutLine($" Server Version: {Docker.ServerVersion}");
            call.OutLine($" Operating System: {Docker.OperatingSystem}");
            call.OutLine($" CPUs: {Docker.Cpus}");
            call.OutLine($" Total Memory: {Docker.MemTotalBytes / 1024.0 / 1024 / 1024:0.##}GiB");
        }
        else
        {
            call.OutLine("Client:");
            call.OutLine($" Version:    {ClientVersion}");
            call.OutLine();
            call.OutLine("Server:");
        }
        return Docker.DaemonRunning ? 0 : DaemonDown(call);
    }

    private JsonObject InfoObject()
    {
        var up = Docker.DaemonRunning;
        var containers = up ? Docker.Containers.Count : 0;
        var info = new JsonObject
        {
            ["ID"] = up ? "f2a6c1f4-3b7e-4d55-9c1a-lgtmlab-fake" : "",
            ["Containers"] = containers, ["ContainersRunning"] = containers, ["ContainersPaused"] = 0, ["ContainersStopped"] = 0,
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

    private int Version(FakeCall call, List<string> args)
    {
        var format = CommandLine.Parse(args, ValueFlags).Get("--format", "-f");
        var client = new JsonObject
        {
            ["Platform"] = new JsonObject { ["Name"] = "Docker Engine - Community" }, ["Version"] = ClientVersion,
            ["ApiVersion"] = "1.50", ["DefaultAPIVersion"] = "1.50", ["GitCommit"] = "e6534b4", ["GoVersion"] = "go1.24.3",
            ["Os"] = "linux", ["Arch"] = "amd64", ["BuildTime"] = "Fri May 30 12:07:14 2025", ["Context"] = "default",
        };
        var server = Docker.DaemonRunning ? new JsonObject
        {
            ["Platform"] = new JsonObject { ["Name"] = "Docker Engine - Community" }, ["Version"] = Docker.ServerVersion,
            ["ApiVersion"] = "1.50", ["MinAPIVersion"] = "1.24", ["Os"] = "linux", ["Arch"] = "amd64",
            ["KernelVersion"] = "6.8.0-generic", ["GitCommit"] = "45873be", ["GoVersion"] = "go1.24.3",
        } : null;
        var version = new JsonObject { ["Client"] = client, ["Server"] = server };
        if (format is not null) call.OutLine(GoTemplate.Render(format, version));
        else
        {
            call.OutLine("Client: Docker Engine - Community");
            call.OutLine($" Version:           {ClientVersion}");
            call.OutLine(" API version:       1.50");
            if (server is not null)
            {
                call.OutLine();
                call.OutLine("Server: Docker Engine - Community");
                call.OutLine(" Engine:");
                call.OutLine($"  Version:          {Docker.ServerVersion}");
            }
        }
        return Docker.DaemonRunning ? 0 : DaemonDown(call);
    }

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

    private int NetworkInspect(FakeCall call, List<string> args)
    {
        var line = CommandLine.Parse(args, ValueFlags);
        var format = line.Get("--format", "-f");
        var found = new JsonArray();
        var missing = new List<string>();
        foreach (var name in line.Positionals)
        {
            if (name is "kind" or NetworkId && Docker.KindNetworkExists) found.Add(NetworkObject());
            else if (name is "bridge" or "host" or "none") found.Add(new JsonObject { ["Name"] = name, ["Driver"] = name == "bridge" ? "bridge" : name, ["IPAM"] = new JsonObject { ["Config"] = new JsonArray() } });
            else missing.Add(name);
        }
        Print(call, format, found);
        foreach (var name in missing) call.ErrLine($"Error response from daemon: network {name} not found");
        return missing.Count > 0 ? 1 : 0;
    }

    private int NetworkList(FakeCall call, List<string> args)
    {
        var format = CommandLine.Parse(args, ValueFlags).Get("--format", "-f");
        var names = new List<string> { "bridge", "host", "none" };
        if (Docker.KindNetworkExists) names.Insert(1, "kind");
        if (format is not null)
        {
            foreach (var name in names) call.OutLine(GoTemplate.Render(format, new JsonObject { ["Name"] = name, ["Driver"] = "bridge", ["Scope"] = "local" }));
            return 0;
        }
        call.OutLine("NETWORK ID     NAME      DRIVER    SCOPE");
        foreach (var name in names) call.OutLine($"{(name == "kind" ? NetworkId[..12] : "0123456789ab")}   {name,-9} {(name is "host" or "none" ? name : "bridge"),-9} local");
        return 0;
    }

    private int Inspect(FakeCall call, List<string> args)
    {
        var line = CommandLine.Parse(args, ValueFlags);
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
                ["Status"] = "running", ["Running"] = true, ["Paused"] = false, ["Restarting"] = false, ["OOMKilled"] = false,
                ["Dead"] = false, ["Pid"] = 4242, ["ExitCode"] = 0, ["Error"] = "", ["StartedAt"] = c.Created.ToString("O"),
                ["FinishedAt"] = "0001-01-01T00:00:00Z",
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

    private int Ps(FakeCall call, List<string> args)
    {
        var line = CommandLine.Parse(args, ValueFlags);
        var format = line.Get("--format");
        IEnumerable<FakeContainer> containers = Docker.Containers;
        foreach (var filter in line.All("--filter", "-f"))
        {
            var (key, value) = filter.Split('=', 2) is [var k, var v] ? (k, v) : (filter, "");
            containers = key switch
            {
                "label" => value.Split('=', 2) is [var label, var wanted]
                    ? containers.Where(c => c.Labels.GetValueOrDefault(label) == wanted)
                    : containers.Where(c => c.Labels.ContainsKey(value)),
                "name" => containers.Where(c => c.Name.Contains(value, StringComparison.Ordinal)),
                _ => containers,
            };
        }
        if (line.Has("-q", "--quiet")) { foreach (var c in containers) call.OutLine(c.Id[..12]); return 0; }
        if (format is null) call.OutLine("CONTAINER ID   IMAGE                  COMMAND                  CREATED         STATUS         PORTS                       NAMES");
        foreach (var c in containers)
        {
            var row = new JsonObject
            {
                ["ID"] = c.Id[..12], ["Image"] = c.Image, ["Command"] = "\"/usr/local/bin/entr…\"", ["Names"] = c.Name,
                ["Status"] = "Up 5 minutes", ["RunningFor"] = "5 minutes ago", ["State"] = "running",
                ["Labels"] = new JsonObject(c.Labels.Select(l => KeyValuePair.Create<string, JsonNode?>(l.Key, l.Value))),
            };
            call.OutLine(format is null
                ? $"{c.Id[..12]}   {c.Image,-20} \"/usr/local/bin/entr…\"   5 minutes ago   Up 5 minutes                               {c.Name}"
                : GoTemplate.Render(format, row));
        }
        return 0;
    }

    private int Exec(FakeCall call, List<string> args)
    {
        var i = 0;
        while (i < args.Count && args[i].StartsWith('-'))
        {
            if (ValueFlags.Contains(args[i])) i++;
            i++;
        }
        if (i >= args.Count) { call.ErrLine("docker: 'docker exec' requires at least 2 arguments."); return 1; }
        var node = Docker.Container(args[i]);
        if (node is null) { call.ErrLine($"Error response from daemon: No such container: {args[i]}"); return 1; }
        var command = args.Skip(i + 1).ToList();
        if (command.FirstOrDefault() == "ip")
            return IpRoute(call, node, [.. command.Skip(1).Where(a => a is not ("-4" or "-6"))]);
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
            ["size"] = "98304000",
            ["uid"] = null,
            ["username"] = "",
            ["spec"] = null,
            ["pinned"] = false,
        }).ToArray());
        call.OutLine(new JsonObject { ["images"] = images }.ToJsonString());
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
        if (args.FirstOrDefault() is not ("route" or "r" or "ro" or "rou"))
        {
            call.ErrLine($"fake docker: `ip {string.Join(' ', args)}` is not implemented by LgtmLab.Tests/Fakes (only `ip route`)");
            return 126;
        }
        var verb = args.ElementAtOrDefault(1) ?? "show";
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
                case "show" or "list" or "ls" or "lst" or "sh":
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
                case "add" or "replace" or "change" or "append":
                    if (prefix is null || via is null) { call.ErrLine("Error: either \"to\" is duplicate, or \"via\" is a garbage."); return 1; }
                    if (!Ipv4.TryParse(via, out _) || !Ipv4.Contains(Docker.KindSubnet, via) || via == node.IpAddress)
                    {
                        call.ErrLine("Error: Nexthop has invalid gateway.");
                        return 2;
                    }
                    var key = Normalize(prefix);
                    if (verb is "add" or "append" && node.RoutesVia.ContainsKey(key)) { call.ErrLine("RTNETLINK answers: File exists"); return 2; }
                    if (verb == "change" && !node.RoutesVia.ContainsKey(key)) { call.ErrLine("RTNETLINK answers: No such file or directory"); return 2; }
                    node.RoutesVia[key] = via;
                    return 0;
                case "del" or "delete":
                    if (prefix is null || !node.RoutesVia.Remove(Normalize(prefix))) { call.ErrLine("RTNETLINK answers: No such process"); return 2; }
                    return 0;
                default:
                    call.ErrLine($"Command \"{verb}\" is unknown, try \"ip route help\".");
                    return 255;
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
