// Engine makespan benchmark: the real engine, CliWrap runner and KubernetesClient against the fake tools of
// LgtmLab.Tests/Fakes, whose commands sleep for realistic durations. Mutating commands are scaled down 100x
// (kind create 60 s -> 600 ms); read-only commands keep their real-world latency, so the warm re-run's wall
// time is what a laptop would see.
using System.Diagnostics;
using System.Globalization;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

const double Scale = 100;
(string Pattern, double RealSeconds, bool Scaled)[] latencies =
[
    ("^kind create cluster ", 60, true),
    ("^helm upgrade --install ", 30, true),
    ("^kubectl .* apply ", 2, true),
    ("^docker exec .* ip route replace ", 0.3, true),
    ("^kind export kubeconfig", 0.5, true),
    ("^docker info", 0.15, false),
    ("^kind get ", 0.15, false),
    ("^kind version", 0.02, false),
    ("^kubectl version", 0.05, false),
    ("^helm version", 0.05, false),
    ("^helm list", 0.3, false),
    ("^docker network inspect", 0.05, false),
    ("^docker inspect", 0.05, false),
    ("^docker exec .* ip route show", 0.1, false),
];
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;

Console.WriteLine($"Fake command durations (real -> used): {string.Join(", ", latencies.Select(l => $"{l.Pattern.Trim('^', ' ')} {l.RealSeconds}s{(l.Scaled ? $" -> {l.RealSeconds * 1000 / Scale:0}ms" : "")}"))}");
Console.WriteLine("MetalLB assigns a LoadBalancer address after 2 s -> 20 ms.");
Console.WriteLine();

for (var run = 1; run <= runs; run++)
{
    await using var toolbox = FakeToolbox.Create(new FakeToolboxOptions { LoadBalancerDelay = TimeSpan.FromSeconds(2 / Scale) });
    foreach (var (pattern, seconds, scaled) in latencies)
        toolbox.AddLatency(pattern, TimeSpan.FromSeconds(scaled ? seconds / Scale : seconds));
    var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Lab:StateDirectory"] = Path.Combine(toolbox.Root, "lab-state"),
        ["Lab:Kubeconfig"] = toolbox.KubeconfigPath,
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
    };

    // cold: the whole default lab from nothing
    var cold = Stopwatch.StartNew();
    using (var controller = LabController.FromConfiguration(configuration, options))
    {
        await controller.RunAsync(new Progress<StepProgress>(), _ => NullLogger.Instance, CancellationToken.None);
        cold.Stop();
        var outcomes = controller.Outcomes.Values.ToList();
        if (outcomes.Any(o => o.Status != StepStatus.Succeeded))
            throw new InvalidOperationException(string.Join("; ", outcomes.Where(o => o.Status != StepStatus.Succeeded).Select(o => $"{o.StepId}: {o.Message}")));
        var sum = outcomes.Sum(o => o.Duration.TotalSeconds);
        var makespan = controller.LastRun!.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"run {run} cold: {outcomes.Count} steps, sum of step durations {sum:F2} s, engine makespan {makespan:F2} s, makespan / sum = {makespan / sum:F2}; with preflight {cold.Elapsed.TotalSeconds:F2} s"));
        foreach (var o in outcomes.OrderBy(o => o.StepId, StringComparer.Ordinal))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {o.StepId,-28} {o.Duration.TotalSeconds,6:F2} s"));
        Console.WriteLine($"    mutating commands: {toolbox.Mutating.Count}");
    }

    // warm: a new AppHost process against the complete lab
    toolbox.ClearJournal();
    var warm = Stopwatch.StartNew();
    using (var controller = LabController.FromConfiguration(configuration, options))
    {
        await controller.RunAsync(new Progress<StepProgress>(), _ => NullLogger.Instance, CancellationToken.None);
        warm.Stop();
        if (controller.Outcomes.Values.Any(o => o.Status != StepStatus.Succeeded || o.Applied))
            throw new InvalidOperationException("the warm run did not find the lab converged");
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"run {run} warm: wall time {warm.Elapsed.TotalSeconds:F2} s, commands {toolbox.Invocations.Count}, mutating commands {toolbox.Mutating.Count}"));
    Console.WriteLine();
}

static string FreePort() => LgtmLab.Tests.Infrastructure.FreePort.NextText();
