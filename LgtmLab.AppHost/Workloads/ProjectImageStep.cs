using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Tools;

namespace LgtmLab.AppHost.Workloads;

/// <summary>
/// A project's image in a cluster's nodes: built with the .NET SDK (only when no archive of this source exists
/// yet) and loaded with <c>kind load image-archive</c>. Done when every node's container runtime holds the tag
/// of the current source, so it rebuilds and reloads only when the code changed.
/// </summary>
/// <param name="name">The workload's name: the step is <c>&lt;cluster&gt;/&lt;name&gt;-image</c>.</param>
internal sealed class ProjectImageStep(ClusterSpec cluster, string name, string resourceName, ProjectImage image, LabServices lab) : Step
{
    public static string IdFor(string cluster, string name) => $"{cluster}/{name}-image";

    public ProjectImage Image => image;
    public override string Id => IdFor(cluster.Name, name);
    public override string ResourceName => resourceName;
    public override IReadOnlyList<string> DependsOn => [StepIds.Cluster(cluster.Name)];
    public override string? StateCluster => cluster.Name;

    // The first build restores packages and pulls the base image.
    public override TimeSpan Timeout => TimeSpan.FromMinutes(15);

    public override string Fingerprint => Provisioning.Fingerprint.Of(
        ("image", image.Reference), ("base", image.Build.BaseImage), ("platform", image.Build.RuntimeIdentifier));

    public override async Task<bool> CheckAsync(StepContext context)
    {
        var nodes = await lab.Kind.GetNodesAsync(cluster.Name, context.Logger, context.CancellationToken).ConfigureAwait(false);
        if (nodes.Count == 0) return false;
        foreach (var node in nodes)
        {
            var images = await lab.Docker.NodeImagesAsync(node, context.Logger, context.CancellationToken).ConfigureAwait(false);
            if (!images.Contains(image.NodeReference, StringComparer.Ordinal)) return false;
        }
        return true;
    }

    public override async Task ApplyAsync(StepContext context)
    {
        var archive = await image.EnsureArchiveAsync(lab.Dotnet, context.Logger, context.CancellationToken).ConfigureAwait(false);
        await lab.Kind.LoadImageArchiveAsync(cluster.Name, archive, context.Logger, context.CancellationToken).ConfigureAwait(false);
    }

    public override async Task VerifyAsync(StepContext context)
    {
        if (!await CheckAsync(context).ConfigureAwait(false))
            throw new StepFailedException($"kind loaded the archive, but a node of {cluster.Name} does not list {image.NodeReference}",
                $"look with `docker exec {cluster.Name}-control-plane crictl images`, then use Retry on {ResourceName}");
    }

    public override string? HintFor(Exception failure) => failure is ToolFailedException { CommandLine: var command } && command.StartsWith(Kind.Executable, StringComparison.Ordinal)
        ? $"kind could not import the archive into the nodes of {cluster.Name}: check Docker's free disk space (`docker system df`), then use Retry on {ResourceName}"
        : $"build the image by hand to see the whole error: `dotnet publish {image.Source.Project} -t:PublishContainer {string.Join(' ', image.Build.PropertyArguments)}` "
          + $"(it pulls the base image from mcr.microsoft.com: behind a proxy set HTTPS_PROXY before starting the AppHost), then use Retry on {ResourceName}";
}
