using LgtmLab.AppHost.Provisioning;

namespace LgtmLab.Tests.Hosting;

/// <summary>
/// Program.cs's composition with the README's sample of a user's workloads pasted after it. The lines between
/// the markers are the README's block (README.md, "sample: user-workloads"), word for word: ReadmeWorkloadSampleTests
/// compares them, so this compiled copy is what the README shows.
/// </summary>
internal static class ReadmeWorkloadSample
{
    public const string Begin = "// README sample user-workloads: begin";
    public const string End = "// README sample user-workloads: end";

    /// <summary>The repository file holding the sample, relative to its root.</summary>
    public const string SourceFile = "LgtmLab.Tests/Hosting/ReadmeWorkloadSample.cs";

    public const string ChartRepo = "https://stefanprodan.github.io/podinfo";
    public const string ChartVersion = "6.14.1";

    /// <summary>The lab as Program.cs adds it (its engine on <paramref name="options"/>' tools), then the sample.</summary>
    public static void Compose(IDistributedApplicationBuilder builder, LabControllerOptions options)
    {
        var lab = builder.AddLab("lgtm", options);
        var central = lab.AddCentral().WithLgtmStack();
        var remotes = lab.AddRemotes();
        foreach (var remote in remotes)
            remote.LinkTo(central).WithTns();

        // README sample user-workloads: begin
        // Your own workloads, here in the first remote. Paths are relative to the AppHost's folder.
        var team = remotes[0];

        // A public Helm chart, pinned: chart repository URL, chart name, exact version; the release is "podinfo".
        team.WithHelmRelease("podinfo", "podinfo", "6.14.1", "https://stefanprodan.github.io/podinfo",
            valuesFiles: "../lab-assets/helm/samples/podinfo.yaml");

        // A folder of manifests, applied as they are (server-side, in file-name order).
        team.WithManifests("hello", "../lab-assets/manifests/samples/hello");

        // A .NET project: built into an image, loaded into the cluster, deployed from a template under
        // lab-assets/manifests (omit it for project/deployment.yaml), its OTLP to the cluster's Alloy.
        team.WithProject<Projects.LgtmLab_TnsSample>("quotes", "samples/quotes.yaml");
        // README sample user-workloads: end
    }
}
