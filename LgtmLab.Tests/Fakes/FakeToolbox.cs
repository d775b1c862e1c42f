using System.Diagnostics;
using System.Text.RegularExpressions;
using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Tools;
using LgtmLab.Tests.Fakes.Kubernetes;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// Fake docker, kind, kubectl, helm, linkerd and dotnet executables for contract tests: a temp directory of bash
/// scripts that forward each call to this object over 127.0.0.1, where a stateful fake answers as the real
/// tool would (clusters with their own in-process Kubernetes API server, kubeconfig entries, Helm releases,
/// node routes). Every call is journalled (tool, argv, exit code, mutating or not), failures and latency can
/// be injected per command-line pattern. Give the process under test <see cref="Environment"/> (PATH first
/// with the fakes, then /usr/bin:/bin only; KUBECONFIG and HOME inside the toolbox).
/// </summary>
internal sealed partial class FakeToolbox : IAsyncDisposable
{
    public static readonly IReadOnlyList<string> ToolNames = ["docker", "kind", "kubectl", "helm", "linkerd", "dotnet"];

    private readonly FakeToolServer _server;
    private readonly List<ToolInvocation> _journal = [];
    private readonly List<string> _running = [];
    private readonly List<FakeFailure> _failures = [];
    private readonly List<(Regex Pattern, TimeSpan Delay)> _latencies = [];
    private readonly Dictionary<string, FakeCluster> _clusters = [];
    private readonly DockerCli _docker;
    private readonly KindCli _kind;
    private readonly KubectlCli _kubectl;
    private readonly HelmCli _helm;
    private readonly LinkerdCli _linkerd;
    private readonly DotnetCli _dotnet = new();

    private FakeToolbox(FakeToolboxOptions options)
    {
        Versions = options.Versions ?? LabVersions.Load(RepositoryFile("lab-assets/versions.yaml"));
        Root = Path.Combine(Path.GetTempPath(), "lgtmlab-fakes-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(BinDirectory);
        Directory.CreateDirectory(HomeDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(KubeconfigPath)!);
        LoadBalancerDelay = options.LoadBalancerDelay;
        OnlyPinnedCharts = options.OnlyPinnedCharts;
        Docker = new FakeDocker(this, options);
        Charts = new FakeCharts(Versions.Tool("linkerd").Version);
        Locator = new FakeToolLocator(this);
        _docker = new DockerCli(this);
        _kind = new KindCli(this);
        _kubectl = new KubectlCli(this);
        _helm = new HelmCli(this);
        _linkerd = new LinkerdCli(this);
        _server = new FakeToolServer(RunAsync);
        WriteScripts();
    }

    public static FakeToolbox Create(FakeToolboxOptions? options = null) => new(options ?? new FakeToolboxOptions());

    public string Root { get; }

    /// <summary>Where the fake executables are.</summary>
    public string BinDirectory => Path.Combine(Root, "bin");

    public string StateDirectory => Path.Combine(Root, "state");

    /// <summary>$HOME of the processes under test (so nothing touches the real ~/.kube or ~/.cache/helm).</summary>
    public string HomeDirectory => Path.Combine(StateDirectory, "home");

    /// <summary>$KUBECONFIG of the processes under test; kind writes its contexts here.</summary>
    public string KubeconfigPath => Path.Combine(StateDirectory, "kube", "config");

    /// <summary>One JSON line per invocation: tool, argv, exit, mutating, aborted, startedAt, durationMs.</summary>
    public string JournalPath => Path.Combine(StateDirectory, "journal.jsonl");

    /// <summary>The fake directory, then /usr/bin:/bin (never /usr/local/bin, where a real docker client may live).</summary>
    public string PathVariable => $"{BinDirectory}:/usr/bin:/bin";

    /// <summary>The environment to give every process under test: PATH, KUBECONFIG, HOME.</summary>
    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["PATH"] = PathVariable,
        ["KUBECONFIG"] = KubeconfigPath,
        ["HOME"] = HomeDirectory,
    };

    /// <summary>An <see cref="IToolLocator"/> that resolves every tool to its fake.</summary>
    public IToolLocator Locator { get; }

    public LabVersions Versions { get; }

    public FakeDocker Docker { get; }

    /// <summary>What each chart installs into a fake cluster (redefine a chart to change it).</summary>
    public FakeCharts Charts { get; }

    /// <summary>Latency applied to calls no <see cref="AddLatency"/> rule matches (default zero).</summary>
    public TimeSpan DefaultLatency { get; set; }

    public TimeSpan LoadBalancerDelay { get; }

    public bool OnlyPinnedCharts { get; }

    /// <summary>The Kubernetes version of the pinned node image (kindest/node:v1.36.1@sha256:... -> v1.36.1).</summary>
    public string KubernetesVersion => Versions.NodeImage.Split('@')[0].Split(':').Last();

    public IReadOnlyList<FakeCluster> Clusters { get { lock (State) return [.. _clusters.Values]; } }

    public FakeCluster? Cluster(string name) { lock (State) return _clusters.GetValueOrDefault(name); }

    private readonly List<(string Cluster, Action<FakeKubernetesApi> Setup)> _apiSetups = [];

    /// <summary>Runs <paramref name="setup"/> on the API server of <paramref name="cluster"/> when kind creates it, before the kubeconfig names it.</summary>
    public void AfterClusterCreated(string cluster, Action<FakeKubernetesApi> setup) { lock (State) _apiSetups.Add((cluster, setup)); }

    internal void OnApiStarted(string cluster, FakeKubernetesApi api)
    {
        List<Action<FakeKubernetesApi>> setups;
        lock (State) setups = [.. _apiSetups.Where(s => s.Cluster == cluster).Select(s => s.Setup)];
        foreach (var setup in setups) setup(api);
    }

    /// <summary>Every finished invocation, oldest first.</summary>
    public IReadOnlyList<ToolInvocation> Invocations { get { lock (_journal) return [.. _journal]; } }

    /// <summary>The invocations the real helm, kubectl or docker refused (see <see cref="RealCliGate"/>): each is a defect of the caller.</summary>
    public IReadOnlyList<ToolInvocation> RefusedByRealCli => [.. Invocations.Where(i => i.RefusedByRealCli is not null)];

    /// <summary>The invocations that change the lab (see <see cref="MutatingCommands"/>).</summary>
    public IReadOnlyList<ToolInvocation> Mutating => [.. Invocations.Where(i => i.Mutating)];

    /// <summary>Forgets the journal (e.g. between a first and a second run); the journal file is kept whole.</summary>
    public void ClearJournal() { lock (_journal) _journal.Clear(); }

    /// <summary>Whether a call matching <paramref name="pattern"/> has started and not yet returned.</summary>
    public bool IsRunning(string pattern)
    {
        var regex = new Regex(pattern, RegexOptions.CultureInvariant);
        lock (_running) return _running.Any(regex.IsMatch);
    }

    /// <summary>The full path of a fake executable.</summary>
    public string ToolPath(string tool) => Path.Combine(BinDirectory, tool);

    /// <summary>
    /// Makes the next <paramref name="times"/> calls whose command line matches the regular expression
    /// <paramref name="pattern"/> print <paramref name="stderr"/> and exit with <paramref name="exitCode"/>.
    /// The command line is "tool arg1 arg2 ...", e.g. "^helm upgrade --install metallb ".
    /// </summary>
    public FakeFailure FailNext(string pattern, int times = 1, int exitCode = 1, string? stderr = null, bool afterEffect = false)
    {
        var failure = new FakeFailure(new Regex(pattern), times, exitCode, stderr ?? $"Error: injected failure ({pattern})", afterEffect);
        lock (_failures) _failures.Add(failure);
        return failure;
    }

    /// <summary>
    /// Calls whose command line matches <paramref name="pattern"/> take <paramref name="delay"/>; the rule added
    /// last wins, so a later AddLatency("^helm", TimeSpan.Zero) overrides an earlier one.
    /// </summary>
    public void AddLatency(string pattern, TimeSpan delay)
    {
        lock (_latencies) _latencies.Insert(0, (new Regex(pattern), delay));
    }

    /// <summary>Removes every latency rule (<see cref="DefaultLatency"/> stays).</summary>
    public void ClearLatencies()
    {
        lock (_latencies) _latencies.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        foreach (var cluster in Clusters)
            if (cluster.Api is { } api) await api.DisposeAsync();
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }

    internal Lock State { get; } = new();

    internal void AddCluster(FakeCluster cluster) => _clusters[cluster.Name] = cluster;

    internal FakeCluster? RemoveCluster(string name)
    {
        if (!_clusters.Remove(name, out var cluster)) return null;
        Docker.RemoveContainers(name);
        return cluster;
    }

    internal int NotImplemented(FakeCall call)
    {
        call.ErrLine($"fake {call.Tool}: `{call.CommandLine}` is not implemented by LgtmLab.Tests/Fakes; add it to {char.ToUpperInvariant(call.Tool[0])}{call.Tool[1..]}Cli.cs");
        return 125;
    }

    internal void WriteScripts()
    {
        foreach (var tool in ToolNames)
        {
            var path = ToolPath(tool);
            if (tool == "docker" && !Docker.Installed) { File.Delete(path); continue; }
            File.WriteAllText(path, FakeToolScript.For(tool, _server.Port));
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                    | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
    }

    private async Task<int> RunAsync(FakeCall call)
    {
        lock (_running) _running.Add(call.CommandLine);
        try { return await JournalledRunAsync(call); }
        finally { lock (_running) _running.Remove(call.CommandLine); }
    }

    private async Task<int> JournalledRunAsync(FakeCall call)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var mutating = MutatingCommands.IsMutating(call.Tool, call.Args);
        FakeFailure? failure;
        lock (_failures)
        {
            failure = _failures.FirstOrDefault(f => f.Remaining > 0 && f.Pattern.IsMatch(call.CommandLine));
            if (failure is not null) { failure.Remaining--; failure.Hits++; }
        }
        lock (_latencies)
        {
            var rule = _latencies.FirstOrDefault(l => l.Pattern.IsMatch(call.CommandLine));
            call.Latency = rule.Pattern is null ? DefaultLatency : rule.Delay;
        }
        int exitCode;
        var aborted = false;
        var verdict = await RealCliGate.CheckAsync(call.Tool, call.Args, this);
        try
        {
            if (verdict is { Accepted: false })
            {
                call.Err(verdict.Message.EndsWith('\n') ? verdict.Message : verdict.Message + "\n");
                exitCode = verdict.ExitCode;
            }
            else if (failure is { AfterEffect: false })
            {
                await call.PauseAsync();
                call.ErrLine(failure.Stderr);
                exitCode = failure.ExitCode;
            }
            else
            {
                if (!PausesItself(call)) await call.PauseAsync();
                exitCode = await DispatchAsync(call);
                if (failure is not null)
                {
                    call.ErrLine(failure.Stderr);
                    exitCode = failure.ExitCode;
                }
            }
        }
        catch (OperationCanceledException) when (call.Aborted.IsCancellationRequested)
        {
            aborted = true;
            exitCode = 137;
        }
        var invocation = new ToolInvocation(call.Tool, call.Args, exitCode, mutating, aborted, started, clock.Elapsed, call.Stdout, call.Stderr,
            verdict is { Accepted: false } ? verdict.Message.Trim() : null);
        lock (_journal)
        {
            _journal.Add(invocation);
            File.AppendAllText(JournalPath, invocation.ToJson().ToJsonString(JsonYaml.Compact) + "\n");
        }
        return exitCode;
    }

    private async Task<int> DispatchAsync(FakeCall call) => call.Tool switch
    {
        "docker" => await _docker.RunAsync(call),
        "kind" => await _kind.RunAsync(call),
        "kubectl" => _kubectl.Run(call),
        "helm" => await _helm.RunAsync(call),
        "linkerd" => _linkerd.Run(call),
        "dotnet" => _dotnet.Run(call),
        _ => NotImplemented(call),
    };

    /// <summary>Calls whose latency sits in the middle of their work (so a kill there leaves it half done).</summary>
    private static bool PausesItself(FakeCall call)
    {
        var words = MutatingCommands.Verbs(call.Tool, call.Args);
        return call.Tool switch
        {
            "kind" => words is ["create" or "delete", "cluster"],
            "helm" => words.FirstOrDefault() is "upgrade" or "install",
            _ => false,
        };
    }

    /// <summary>A file of the repository, found by walking up from the test assembly.</summary>
    internal static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }
}
