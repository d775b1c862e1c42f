using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// `docker ps` and `docker start` of the kind node containers, as the docker 28.2.2 client prints them
/// (docker/cli v28.2.2 cli/command/container/list.go, start.go, cli/command/formatter/container.go and formatter.go).
/// </summary>
internal sealed partial class DockerCli
{
    /// <summary>A --filter without "=" is refused while the flag is parsed (docker/cli v28.2.2 opts/opts.go FilterOpt.Set).</summary>
    private static string? BadFilter(CommandLine line) => line.All("-f", "--filter").FirstOrDefault(f => f.Length > 0 && !f.Contains('='));

    private int Ps(FakeCall call, CommandLine line)
    {
        var labels = new List<(string Key, string? Value)>();
        foreach (var filter in line.All("-f", "--filter").Where(f => f.Length > 0))
        {
            var name = filter[..filter.IndexOf('=')].Trim().ToLowerInvariant();
            var value = filter[(filter.IndexOf('=') + 1)..].Trim();
            // Only the label filter is transcribed (moby v28.2.2 daemon/list.go: filters.MatchKVList("label", ...): "key" must
            // exist, "key=value" must be equal; several label filters must all match).
            if (name != "label") return toolbox.NotImplemented(call);
            var eq = value.IndexOf('=');
            labels.Add(eq < 0 ? (value, null) : (value[..eq], value[(eq + 1)..]));
        }
        if (line.Has("-l", "--latest", "-s", "--size") || line.Get("-n", "--last") is not null) return toolbox.NotImplemented(call);
        var quiet = line.Has("-q", "--quiet");
        var format = line.Get("--format");
        // list.go runPs: with both, the format is ignored with a warning; formatter/container.go NewContainerFormat: quiet is
        // "{{.ID}}"; "", "table", "table ...", "raw" and "json" print layouts not transcribed here.
        if (quiet && !string.IsNullOrEmpty(format)) call.Err("WARNING: Ignoring custom format, because both --format and --quiet are set.\n");
        if (!quiet && (string.IsNullOrEmpty(format) || format is "raw" or "json" || format.StartsWith("table", StringComparison.Ordinal)))
            return toolbox.NotImplemented(call);
        var template = quiet ? "{{.ID}}" : PreFormat(format!);
        var trunc = !line.Has("--no-trunc");
        var rows = Docker.Containers
            .Where(c => line.Has("-a", "--all") || c.Running)
            .Where(c => labels.All(l => c.Labels.TryGetValue(l.Key, out var v) && (l.Value is null || v == l.Value)))
            // The daemon lists the newest first.
            .OrderByDescending(c => c.Created)
            .Select(c => PsContext(c, trunc))
            .ToList();
        if (rows.Count > 0 && FieldsIn(template).FirstOrDefault(f => !rows[0].ContainsKey(f)) is not null) return toolbox.NotImplemented(call);
        foreach (var row in rows) call.Out(GoTemplate.Render(template, row) + "\n");
        return 0;
    }

    /// <summary>formatter.go Context.preFormat for a custom format: trimmed of spaces, the two characters \t and \n made a tab and a newline.</summary>
    private static string PreFormat(string format) => format.Trim(' ').Replace(@"\t", "\t", StringComparison.Ordinal).Replace(@"\n", "\n", StringComparison.Ordinal);

    private static IEnumerable<string> FieldsIn(string template) =>
        ActionPattern().Matches(template).SelectMany(a => FieldPattern().Matches(a.Groups[1].Value).Select(f => f.Groups[1].Value)).Distinct();

    /// <summary>The fields of formatter/container.go ContainerContext for one container (Mounts, LocalVolumes, Size and Platform left out).</summary>
    private JsonObject PsContext(FakeContainer c, bool trunc)
    {
        var cluster = toolbox.Cluster(c.ClusterName);
        var apiPort = cluster?.Api?.Url.Port;
        const string command = "/usr/local/bin/entrypoint /sbin/init";
        return new JsonObject
        {
            ["ID"] = trunc ? c.Id[..12] : c.Id,
            ["Names"] = c.Name,
            ["Image"] = trunc ? FamiliarTagged(c.Image) : c.Image,
            ["Command"] = "\"" + (trunc && command.Length > 20 ? command[..19] + "…" : command) + "\"",
            ["CreatedAt"] = c.Created.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " +0000 UTC",
            ["RunningFor"] = HumanDuration(DateTimeOffset.UtcNow - c.Created) + " ago",
            // kind publishes only the control plane's API server: --publish=127.0.0.1:PORT:6443/TCP.
            ["Ports"] = c.Role == "control-plane" && apiPort is not null && c.Running ? $"127.0.0.1:{apiPort}->6443/tcp" : "",
            ["State"] = c.State,
            // moby v28.2.2 container/state.go State.String.
            ["Status"] = c.Running
                ? "Up " + HumanDuration(DateTimeOffset.UtcNow - c.StartedAt)
                : $"Exited ({c.ExitCode}) {HumanDuration(DateTimeOffset.UtcNow - c.FinishedAt)} ago",
            ["Labels"] = string.Join(',', c.Labels.Select(l => $"{l.Key}={l.Value}").Order(StringComparer.Ordinal)),
            ["Label"] = new JsonObject(c.Labels.Select(l => KeyValuePair.Create<string, JsonNode?>(l.Key, l.Value))),
            ["Networks"] = "kind",
        };
    }

    /// <summary>container.go Image with trunc: a tagged reference loses its digest ("kindest/node:v1.36.1@sha256:..." to "kindest/node:v1.36.1").</summary>
    private static string FamiliarTagged(string image) => image.Split('@')[0];

    /// <summary>docker/cli v28.2.2 vendor/github.com/docker/go-units/duration.go HumanDuration.</summary>
    private static string HumanDuration(TimeSpan d)
    {
        var seconds = (int)d.TotalSeconds;
        var minutes = (int)d.TotalMinutes;
        var hours = (int)(d.TotalHours + 0.5);
        if (seconds < 1) return "Less than a second";
        if (seconds == 1) return "1 second";
        if (seconds < 60) return $"{seconds} seconds";
        if (minutes == 1) return "About a minute";
        if (minutes < 60) return $"{minutes} minutes";
        if (hours == 1) return "About an hour";
        if (hours < 48) return $"{hours} hours";
        if (hours < 24 * 7 * 2) return $"{hours / 24} days";
        if (hours < 24 * 30 * 2) return $"{hours / 24 / 7} weeks";
        if (hours < 24 * 365 * 2) return $"{hours / 24 / 30} months";
        return $"{(int)d.TotalHours / 24 / 365} years";
    }

    /// <summary>
    /// start.go startContainersWithoutAttachments: each container in turn; a started one (or one already running: the
    /// daemon answers 304, moby v28.2.2 daemon/start.go) prints its name on stdout, a failed one its error on stderr; then
    /// "Error: failed to start containers: a, b" (cmd/docker/docker.go main prints it) and exit 1.
    /// </summary>
    private async Task<int> StartAsync(FakeCall call, CommandLine line)
    {
        if (line.Has("-a", "--attach", "-i", "--interactive") || line.Get("--checkpoint") is not null) return toolbox.NotImplemented(call);
        var failed = new List<string>();
        foreach (var name in line.Positionals)
        {
            var container = Docker.Container(name);
            if (container is null) { call.ErrLine($"Error response from daemon: No such container: {name}"); failed.Add(name); continue; }
            if (!container.Running)
            {
                if (container.StartRefusal is { } refusal) { call.ErrLine(refusal); failed.Add(name); continue; }
                container.Start();
                if (toolbox.Cluster(container.ClusterName) is { } cluster) await cluster.StartedAsync(container);
            }
            call.OutLine(name);
        }
        if (failed.Count == 0) return 0;
        call.ErrLine($"Error: failed to start containers: {string.Join(", ", failed)}");
        return 1;
    }

    [GeneratedRegex(@"\{\{(.*?)\}\}", RegexOptions.Singleline)]
    private static partial Regex ActionPattern();

    [GeneratedRegex(@"\.([A-Z][A-Za-z]*)")]
    private static partial Regex FieldPattern();
}
