using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Tns;
using LgtmLab.AppHost.Workloads;
using LgtmLab.Tests.Engine;
using LgtmLab.Tests.Fakes;

namespace LgtmLab.Tests.Workloads;

/// <summary>
/// A contract lab (real engine, fake tools) with a user's chart, a user's project and the lab's own TNS: the
/// user's chart is published in a repository the fake helm knows, the user's project and TNS are tiny source
/// trees of their own (the fake dotnet only needs the project file).
/// </summary>
internal sealed class UserWorkloadLab : IAsyncDisposable
{
    public const string ChartRepo = "https://charts.example.test/stable";
    public const string ChartName = "hello";
    public const string ChartVersion = "1.2.3";

    private UserWorkloadLab(ContractLab lab)
    {
        Lab = lab;
        Root = Directory.CreateDirectory(Path.Combine(lab.Toolbox.Root, "user")).FullName;
        ValuesFile = Path.Combine(Root, "hello-values.yaml");
        File.WriteAllText(ValuesFile, "replicaCount: 1\n");
        ProjectPath = WriteProject(Path.Combine(Root, "shop", "Orders"), "Orders");
        TnsRoot = Path.Combine(lab.Toolbox.Root, "checkout");
        WriteProject(Path.Combine(TnsRoot, TnsSampleSource.ProjectFolder), TnsSampleSource.ProjectFolder);
        lab.Toolbox.Charts.Publish(ChartRepo, ChartName, ChartVersion);
    }

    public ContractLab Lab { get; }
    public FakeToolbox Toolbox => Lab.Toolbox;
    public string Root { get; }
    public string ValuesFile { get; }
    public string ProjectPath { get; }
    public string TnsRoot { get; }

    public static UserWorkloadLab Create() => new(ContractLab.Create());

    public static string WriteProject(string folder, string name)
    {
        Directory.CreateDirectory(folder);
        var project = Path.Combine(folder, name + ".csproj");
        File.WriteAllText(project, "<Project Sdk=\"Microsoft.NET.Sdk.Web\" />\n");
        File.WriteAllText(Path.Combine(folder, "Program.cs"), "// version 1\n");
        return project;
    }

    public HelmChartWorkload Chart(string chart = ChartName, string repo = ChartRepo) =>
        new("lgtm-central", "hello", chart, ChartVersion, repo, "hello", [ValuesFile]);

    public ProjectWorkload Project(string? path = null) => new("lgtm-remote", "orders", path ?? ProjectPath, null);

    /// <summary>The lab's own parts that the user's workloads are compared with (MetalLB is always planned), plus the user's.</summary>
    public LabController Controller(params LabWorkload[] workloads) =>
        LabController.FromConfiguration(Lab.Configuration, Lab.Options with
        {
            Contributions = [new TnsContribution(new TnsSampleSource(TnsRoot)), new WorkloadContribution(workloads)],
        });

    public async Task<LabController> RunAsync(params LabWorkload[] workloads)
    {
        var controller = Controller(workloads);
        await controller.RunAsync(new RecordingProgress(), Loggers.None, CancellationToken.None);
        return controller;
    }

    /// <summary>argv with every value replaced by "_": the flags and their order, which is what "the same call" means.</summary>
    public static IReadOnlyList<string> Shape(ToolInvocation call) =>
        [.. call.Args.Select((a, i) => i < 2 && !a.Contains('/') ? a : a.StartsWith('-') ? a.Split('=')[0] : "_")];

    public ValueTask DisposeAsync() => Lab.DisposeAsync();
}
