using LgtmLab.AppHost.Hosting;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Steps;
using LgtmLab.AppHost.Workloads;
using LgtmLab.Tests.Engine;
using LgtmLab.Tests.Fakes;
using LgtmLab.Tests.Infrastructure;
using LgtmLab.Tests.Workloads;
using Microsoft.Extensions.DependencyInjection;

namespace LgtmLab.Tests.Hosting;

/// <summary>
/// The README's sample of a user's workloads is the code <see cref="ReadmeWorkloadSample"/> compiles, and run
/// after Program.cs's composition against the fake tools it goes through the lab's own steps and commands:
/// podinfo by the step and helm call of the lab's releases, the folder by the lab's kubectl apply, the project
/// by TNS's image and manifest steps; a warm re-run changes nothing.
/// </summary>
public sealed class ReadmeWorkloadSampleTests(ReadmeWorkloadSampleTests.SampleLab lab) : IClassFixture<ReadmeWorkloadSampleTests.SampleLab>
{
    private const string Remote = "kind-lgtm-remote";

    private static string Repository => ChartReference.RepositoryRoot;

    [Fact]
    public void The_READMEs_sample_is_word_for_word_the_code_the_test_compiles_and_runs()
    {
        var readme = File.ReadAllLines(Path.Combine(Repository, "README.md"));
        var begin = Array.FindIndex(readme, l => l.Trim().StartsWith("<!-- sample: user-workloads", StringComparison.Ordinal));
        var end = Array.FindIndex(readme, l => l.Trim() == "<!-- /sample: user-workloads -->");
        Assert.True(begin >= 0 && end > begin, "README.md has no block between <!-- sample: user-workloads ... --> and <!-- /sample: user-workloads -->");
        var block = readme[(begin + 1)..end].Select(l => l.Trim()).ToList();
        Assert.Equal(("```csharp", "```"), (block[0], block[^1]));

        var source = File.ReadAllLines(Path.Combine(Repository, ReadmeWorkloadSample.SourceFile));
        var first = Array.FindIndex(source, l => l.Trim() == ReadmeWorkloadSample.Begin);
        var last = Array.FindIndex(source, l => l.Trim() == ReadmeWorkloadSample.End);
        Assert.True(first >= 0 && last > first, $"{ReadmeWorkloadSample.SourceFile} has lost its markers");

        Assert.Equal(source[(first + 1)..last].Select(l => l.Trim()), block[1..^1]);
    }

    [Fact]
    public void Every_resource_the_sample_adds_is_planned_and_every_step_of_the_lab_succeeds()
    {
        Assert.All(lab.Cold, o => Assert.True(o.Value.Status == StepStatus.Succeeded, $"{o.Key}: {o.Value.Status} {o.Value.Message}"));
        Assert.Equal(("lgtm-remote", "HelmRelease"), lab.Definitions["lgtm-remote-podinfo"]);
        Assert.Equal(("lgtm-remote", "Manifests"), lab.Definitions["lgtm-remote-hello"]);
        Assert.Equal(("lgtm-remote", "Workload"), lab.Definitions["lgtm-remote-quotes"]);
        Assert.Empty(lab.RefusedByRealCli);
    }

    [Fact]
    public void The_chart_is_installed_by_the_labs_release_step_pinned_to_its_version_with_the_values_file()
    {
        Assert.Equal(nameof(HelmReleaseStep), lab.StepTypes["lgtm-remote/podinfo"]);
        Assert.Equal(lab.StepTypes["lgtm-remote/metallb"], lab.StepTypes["lgtm-remote/podinfo"]);

        var podinfo = lab.PodinfoInstall;
        var metallb = Assert.Single(lab.ColdMutating, c => c.Tool == "helm" && c.Args[2] == "metallb" && c.Args.Contains(Remote));
        Assert.Equal(UserWorkloadLab.Shape(metallb), UserWorkloadLab.Shape(podinfo));
        Assert.Equal(
            ["upgrade", "--install", "podinfo", "podinfo", "--repo", ReadmeWorkloadSample.ChartRepo, "--version", ReadmeWorkloadSample.ChartVersion,
             "--namespace", "podinfo", "--create-namespace", "--kube-context", Remote,
             "-f", Path.Combine(Repository, "lab-assets", "helm", "samples", "podinfo.yaml"), "--wait", "--timeout", "5m"],
            podinfo.Args);
    }

    [RequiresRealToolFact("helm")]
    public async Task Real_helm_parses_the_exact_command_line_the_lab_issues_for_the_chart()
    {
        var verdict = await RealCliGate.CheckAsync("helm", lab.PodinfoInstall.Args, lab.Toolbox);

        Assert.NotNull(verdict);
        Assert.True(verdict.Accepted, $"real helm refused {string.Join(' ', lab.PodinfoInstall.Args)}: {verdict.Message}");
    }

    [Fact]
    public void The_folder_is_applied_with_the_same_kubectl_call_as_the_labs_own_manifests()
    {
        Assert.Equal(nameof(ManifestFolderStep), lab.StepTypes["lgtm-remote/hello"]);
        var hello = Assert.Single(lab.ColdMutating, c => c.Tool == "kubectl" && c.Args[^1].EndsWith("/hello.yaml", StringComparison.Ordinal));
        var pool = Assert.Single(lab.ColdMutating, c => c.Tool == "kubectl" && c.Args.Contains(Remote) && c.Args[^1].EndsWith("/metallb-pool.yaml", StringComparison.Ordinal));
        Assert.Equal(pool.Args.SkipLast(1), hello.Args.SkipLast(1));
        Assert.Equal(["--context", Remote, "apply", "--server-side", "--field-manager", "lgtmlab", "-f"], hello.Args.SkipLast(1));
        Assert.Contains("name: whoami", File.ReadAllText(hello.Args[^1]), StringComparison.Ordinal);
    }

    [Fact]
    public void The_project_is_built_loaded_and_deployed_by_the_steps_and_commands_that_run_TNS()
    {
        Assert.Equal((nameof(ProjectImageStep), nameof(ManifestStep)), (lab.StepTypes["lgtm-remote/quotes-image"], lab.StepTypes["lgtm-remote/quotes"]));
        Assert.Equal((lab.StepTypes["lgtm-remote/tns-image"], lab.StepTypes["lgtm-remote/tns"]), (lab.StepTypes["lgtm-remote/quotes-image"], lab.StepTypes["lgtm-remote/quotes"]));

        ToolInvocation Call(string tool, Func<ToolInvocation, bool> which) => Assert.Single(lab.ColdMutating, c => c.Tool == tool && which(c));
        var project = Path.Combine(Repository, "LgtmLab.TnsSample", "LgtmLab.TnsSample.csproj");
        var tns = Call("dotnet", c => c.Args.Contains("-p:ContainerRepository=lgtmlab/tns"));
        var quotes = Call("dotnet", c => c.Args.Contains("-p:ContainerRepository=lgtmlab/quotes"));
        Assert.Equal(UserWorkloadLab.Shape(tns), UserWorkloadLab.Shape(quotes));
        Assert.Equal(project, quotes.Args[1]);
        Assert.Equal(UserWorkloadLab.Shape(Call("kind", c => c.Args[2].Contains("/tns-", StringComparison.Ordinal))),
            UserWorkloadLab.Shape(Call("kind", c => c.Args[2].Contains("/quotes-", StringComparison.Ordinal))));
        var deploy = Call("kubectl", c => c.Args[^1].EndsWith("/quotes.yaml", StringComparison.Ordinal));
        Assert.Equal(UserWorkloadLab.Shape(Call("kubectl", c => c.Args[^1].EndsWith("/tns.yaml", StringComparison.Ordinal))), UserWorkloadLab.Shape(deploy));

        var manifest = File.ReadAllText(deploy.Args[^1]);
        Assert.Contains("image: \"lgtmlab/quotes:", manifest, StringComparison.Ordinal);
        Assert.Contains("args:\n            - db\n", manifest, StringComparison.Ordinal);
        Assert.Contains($"value: \"{WorkloadContribution.AlloyOtlpEndpoint}\"", manifest, StringComparison.Ordinal);
    }

    [Fact]
    public void A_warm_re_run_issues_no_mutating_command()
    {
        Assert.All(lab.Warm, o => Assert.Equal(StepStatus.Succeeded, o.Value.Status));
        Assert.Empty(lab.WarmMutating);
    }

    /// <summary>
    /// The sample composed after Program.cs's verbs with the AppHost's folder as the app's project directory (as
    /// when pasted into Program.cs), its engine on the fake tools; run cold, then warm by a fresh controller.
    /// </summary>
    public sealed class SampleLab : IAsyncLifetime
    {
        private readonly ContractLab _contract = ContractLab.Create();

        internal FakeToolbox Toolbox => _contract.Toolbox;
        internal IReadOnlyDictionary<string, StepOutcome> Cold { get; private set; } = new Dictionary<string, StepOutcome>();
        internal IReadOnlyDictionary<string, StepOutcome> Warm { get; private set; } = new Dictionary<string, StepOutcome>();
        internal IReadOnlyList<ToolInvocation> ColdMutating { get; private set; } = [];
        internal IReadOnlyList<ToolInvocation> WarmMutating { get; private set; } = [];
        internal IReadOnlyList<ToolInvocation> RefusedByRealCli { get; private set; } = [];
        internal IReadOnlyDictionary<string, string> StepTypes { get; private set; } = new Dictionary<string, string>();
        internal IReadOnlyDictionary<string, (string? Parent, string Kind)> Definitions { get; private set; } = new Dictionary<string, (string?, string)>();

        internal ToolInvocation PodinfoInstall => Assert.Single(ColdMutating, c => c.Tool == "helm" && c.Args[2] == "podinfo");

        public async Task InitializeAsync()
        {
            Toolbox.Charts.Publish(ReadmeWorkloadSample.ChartRepo, "podinfo", ReadmeWorkloadSample.ChartVersion);
            Cold = await RunAsync(cold: true);
            ColdMutating = Toolbox.Mutating;
            RefusedByRealCli = Toolbox.RefusedByRealCli;
            Toolbox.ClearJournal();
            Warm = await RunAsync(cold: false);
            WarmMutating = Toolbox.Mutating;
        }

        private async Task<IReadOnlyDictionary<string, StepOutcome>> RunAsync(bool cold)
        {
            var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
            {
                Args = _contract.Arguments(),
                ProjectDirectory = Path.Combine(ChartReference.RepositoryRoot, "LgtmLab.AppHost"),
                DisableDashboard = true,
            });
            ReadmeWorkloadSample.Compose(builder, _contract.Options);
            using var app = builder.Build();
            var model = app.Services.GetRequiredService<LabModel>();
            using var controller = (LabController)model.ControllerFactory(model);
            model.Bind(controller, new LabResource(model.Resource!.Name, null, "KindLab", new Dictionary<string, string>()));
            if (cold)
            {
                StepTypes = controller.Plan.Graph.Steps.ToDictionary(s => s.Id, s => s.GetType().Name);
                Definitions = controller.Resources.ToDictionary(r => r.Name, r => (r.Parent, r.Kind));
            }
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await controller.RunAsync(new RecordingProgress(), Loggers.None, timeout.Token);
            return controller.Outcomes.ToDictionary();
        }

        public async Task DisposeAsync() => await _contract.DisposeAsync();
    }
}
