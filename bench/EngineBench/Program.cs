// Engine makespan benchmark: the real LabController (preflight, step graph, CliWrap runner, KubernetesClient) provisions
// the default lab, as `dotnet run --project LgtmLab.AppHost` composes it (clusters, routes, MetalLB, Linkerd and its
// link, LGTM, the agents, TNS), against the fake tools of LgtmLab.Tests/Fakes, whose commands take the scaled
// durations of FakeDurations. Dashboards come from a server on 127.0.0.1 and TNS's image from the fake dotnet.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using EngineBench;
using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1;
var report = new StringBuilder();
void Line(string text = "")
{
    Console.WriteLine(text);
    report.AppendLine(text);
}
string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

var assets = LabAssets.Locate(new LabOptions());
var repository = Path.GetDirectoryName(assets.Directory)!;
await using var dashboards = await DashboardMirror.StartAsync(assets);
// the AppHost's Aspire secret parameter: one value for the life of the lab
var grafanaPassword = "bench-" + Guid.NewGuid().ToString("N");

Line(F($"Engine bench, {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}, {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
Line(F($"Fake command durations, real -> bench (mutating ones / {FakeDurations.Scale}):"));
foreach (var d in FakeDurations.All)
    Line(F($"    {d.Pattern.TrimStart('^').Trim(),-48} {d.RealSeconds,6:0.##} s -> {d.Bench.TotalMilliseconds,6:0.#} ms"));
Line();

for (var run = 1; run <= runs; run++)
{
    await using var toolbox = FakeToolbox.Create(new FakeToolboxOptions { LoadBalancerDelay = FakeDurations.LoadBalancerDelay, DockerMemoryBytes = 8L << 30 });
    foreach (var d in FakeDurations.All.Reverse()) toolbox.AddLatency(d.Pattern, d.Bench);

    // the AppHost's own appsettings.json (the default lab), then what keeps it inside the toolbox and 127.0.0.1
    var configuration = new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(repository, "LgtmLab.AppHost", "appsettings.json"), optional: false)
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Lab:StateDirectory"] = Path.Combine(toolbox.Root, "lab-state"),
            ["Lab:Kubeconfig"] = toolbox.KubeconfigPath,
            ["Lab:DashboardsBaseUrl"] = dashboards.Url.ToString(),
            ["Lab:Retry:PollInterval"] = "00:00:00.010",
            ["Lab:Central:HostPorts:http"] = FreePort(),
            ["Lab:Central:HostPorts:https"] = FreePort(),
            ["Lab:Remotes:0:HostPorts:otlp-grpc"] = FreePort(),
            ["Lab:Remotes:0:HostPorts:otlp-http"] = FreePort(),
        }).Build();
    var options = new LabControllerOptions
    {
        ToolLocator = toolbox.Locator,
        SearchPath = toolbox.PathVariable,
        Environment = new Dictionary<string, string?> { ["HOME"] = toolbox.HomeDirectory },
        Preflight = new PreflightSettings { CheckInotify = false },
        Contributions = LabContributions.Default,
        GrafanaAdminPassword = _ => ValueTask.FromResult<string?>(grafanaPassword),
    };

    // cold: the whole default lab from nothing
    var timeline = new StepTimeline();
    var cold = Stopwatch.StartNew();
    using (var controller = LabController.FromConfiguration(configuration, options))
    {
        await controller.RunAsync(timeline, _ => NullLogger.Instance, CancellationToken.None);
        cold.Stop();
        var graph = controller.Plan.Graph;
        var outcomes = controller.Outcomes;
        if (controller.LastRun is null || outcomes.Values.Any(o => o.Status != StepStatus.Succeeded))
            throw new InvalidOperationException("the cold run failed: " + string.Join("; ", outcomes.Values.Where(o => o.Status != StepStatus.Succeeded).Select(o => $"{o.StepId}: {o.Message}")));
        var durations = outcomes.ToDictionary(o => o.Key, o => o.Value.Duration, StringComparer.Ordinal);
        var sum = durations.Values.Sum(d => d.TotalSeconds);
        var makespan = controller.LastRun.Elapsed.TotalSeconds;
        var path = graph.CriticalPath(durations);
        var critical = path.Sum(id => durations[id].TotalSeconds);
        var mutating = controller.Tools.Calls.Where(c => c.Mutates).ToList();

        Line(F($"run {run} cold: {graph.Steps.Count} steps, {controller.Tools.Calls.Count} commands ({mutating.Count} mutating); with preflight {cold.Elapsed.TotalSeconds:F2} s"));
        Line(F($"    engine makespan            {makespan,6:F2} s"));
        Line(F($"    critical path              {critical,6:F2} s   makespan / critical path = {makespan / critical:F3}"));
        Line(F($"    sum of step durations      {sum,6:F2} s   makespan / sum           = {makespan / sum:F3}"));
        Line("    critical path: " + string.Join(" -> ", path));
        Line(F($"    {"step",-40} {"start",7} {"end",7} {"took",7} {"gap",7}  last dependency (gap: start - its end)"));
        foreach (var step in graph.Steps.OrderBy(s => timeline.Start(s.Id)))
            Line(F($"    {(path.Contains(step.Id) ? "* " : "  ")}{step.Id,-38} {timeline.Start(step.Id).TotalSeconds,7:F3} {timeline.End(step.Id).TotalSeconds,7:F3} {durations[step.Id].TotalSeconds,7:F3} {timeline.Gap(step).TotalMilliseconds,5:F0}ms  {LastDependency(step)}")
                + (outcomes[step.Id].Warning is { } w ? "  warning: " + w : ""));
        string LastDependency(Step step) => step.DependsOn.Count == 0 ? "(none)" : step.DependsOn.MaxBy(timeline.End)!;
        Line(F($"    gaps on the critical path: {path.Sum(id => timeline.Gap(graph[id]).TotalMilliseconds):F0} ms; largest gap of any step: {graph.Steps.Max(s => timeline.Gap(s).TotalMilliseconds):F0} ms"));
        Line("    commands per duration rule: " + string.Join(", ", FakeDurations.All
            .Select(d => (d.Pattern, Count: controller.Tools.Calls.Count(c => Regex.IsMatch(c.CommandLine, d.Pattern))))
            .Where(r => r.Count > 0).Select(r => $"{r.Pattern.TrimStart('^').Trim()} {r.Count}")));
        var unscaled = mutating.Where(c => !FakeDurations.All.Any(d => d.Scaled && Regex.IsMatch(c.CommandLine, d.Pattern))).Select(c => c.CommandLine).Distinct().ToList();
        if (unscaled.Count > 0)
            Line("    mutating commands without a scaled duration: " + string.Join(" | ", unscaled));
    }

    // warm: a new AppHost process against the complete lab
    toolbox.ClearJournal();
    var warmStart = DateTimeOffset.UtcNow;
    var warm = Stopwatch.StartNew();
    using (var controller = LabController.FromConfiguration(configuration, options))
    {
        await controller.RunAsync(new StepTimeline(), _ => NullLogger.Instance, CancellationToken.None);
        warm.Stop();
        var applied = controller.Outcomes.Values.Where(o => o.Status != StepStatus.Succeeded || o.Applied).Select(o => $"{o.StepId} ({o.Status}, {o.Message})").ToList();
        var mutating = controller.Tools.Calls.Where(c => c.Mutates).Select(c => c.CommandLine).ToList();
        var apiWrites = toolbox.Clusters.SelectMany(c => c.Api!.MutatingRequests.Where(r => r.At >= warmStart).Select(r => $"{c.Name}: {r.Method} {r.Path}")).ToList();
        Line(F($"run {run} warm: wall time {warm.Elapsed.TotalSeconds:F2} s (engine {controller.LastRun?.Elapsed.TotalSeconds:F2} s), commands {controller.Tools.Calls.Count}, mutating commands {mutating.Count} (fakes' count {toolbox.Mutating.Count}), API writes {apiWrites.Count}"));
        foreach (var what in applied.Select(a => "    applied: " + a).Concat(mutating.Select(m => "    mutating: " + m)).Concat(apiWrites.Select(w => "    API write: " + w)))
            Line(what);
    }
    Line();
}

var results = Path.Combine(repository, "bench", "results", F($"engine-bench-{DateTime.UtcNow:yyyyMMddTHHmmssZ}.txt"));
await File.WriteAllTextAsync(results, report.ToString());
Console.WriteLine("written to " + results);

static string FreePort() => LgtmLab.Tests.Infrastructure.FreePort.NextText();
