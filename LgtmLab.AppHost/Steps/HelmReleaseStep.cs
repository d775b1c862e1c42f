using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Kubernetes;
using LgtmLab.AppHost.Provisioning;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Steps;

/// <summary>What a Helm release of the lab is: pinned chart, namespace, values files, place in the graph.</summary>
/// <param name="Component">Names the step (<c>&lt;cluster&gt;/&lt;component&gt;</c>) and, by default, the resource (<c>&lt;cluster&gt;-&lt;component&gt;</c>).</param>
internal sealed record HelmReleaseSpec(ClusterSpec Cluster, string Component, string Release, string Namespace, ChartVersion Chart, IReadOnlyList<string> ValuesFiles)
{
    public IReadOnlyList<string> DependsOn { get; init; } = [StepIds.Cluster(Cluster.Name)];
    public string? ResourceName { get; init; }
    /// <summary>How long helm waits for the release's resources to become ready.</summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Values files made when the release is applied, passed after <see cref="ValuesFiles"/> in this order.</summary>
    internal IReadOnlyList<GeneratedValues> GeneratedValues { get; init; } = [];
}

/// <summary>
/// Installs or upgrades a pinned chart with the lab's values (generic: MetalLB, Linkerd, LGTM, ...) and the values
/// the lab generates at apply time. Nothing is carried from Check to Apply: each phase reads what it needs.
/// </summary>
internal sealed class HelmReleaseStep(HelmReleaseSpec spec, LabServices lab) : Step
{
    public HelmReleaseSpec Spec => spec;
    public override string Id => $"{spec.Cluster.Name}/{spec.Component}";
    public override string ResourceName => spec.ResourceName ?? StepIds.Resource(spec.Cluster.Name, spec.Component);
    public override IReadOnlyList<string> DependsOn => spec.DependsOn;
    public override string? StateCluster => spec.Cluster.Name;
    public override TimeSpan Timeout => spec.WaitTimeout + TimeSpan.FromMinutes(2);
    public override TimeSpan? ReadyBudget => spec.WaitTimeout;

    /// <summary>The chart as <c>helm list</c> shows it: <c>&lt;chart&gt;-&lt;version&gt;</c>.</summary>
    public string ChartLabel => $"{spec.Chart.Chart}-{spec.Chart.Version}";

    public override string Fingerprint => Provisioning.Fingerprint.Of(
        new[] { ("release", spec.Release), ("namespace", spec.Namespace), ("repo", spec.Chart.Repo), ("chart", ChartLabel) }
            .Concat(spec.ValuesFiles.Select(f => ("values", File.ReadAllText(f))))
            .Concat(spec.GeneratedValues.SelectMany(g => g.Inputs())));

    public override async Task<bool> CheckAsync(StepContext context)
    {
        var releases = await lab.Helm.ListAsync(spec.Namespace, spec.Cluster.KubeContext, context.Logger, context.CancellationToken).ConfigureAwait(false);
        return releases.Any(r => r.Name == spec.Release && r.Status == "deployed" && r.Chart == ChartLabel);
    }

    public override async Task ApplyAsync(StepContext context)
    {
        await RecoverInterruptedOperationAsync(context).ConfigureAwait(false);
        var generated = new List<GeneratedValuesFile>();
        try
        {
            foreach (var values in spec.GeneratedValues)
                generated.Add(values.Write(context.Logger));
            await lab.Helm.UpgradeInstallAsync(spec.Release, spec.Chart, spec.Namespace, spec.Cluster.KubeContext,
                [.. spec.ValuesFiles, .. generated.Select(g => g.Path)], context.ReadyTimeLeft(spec.WaitTimeout), context.Logger, context.CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var file in generated) file.Dispose();
        }
    }

    /// <summary>
    /// A helm process killed mid-way (Ctrl+C, a timeout, a crash) leaves its release pending, and helm then refuses
    /// every further operation on it. Only the lab operates its releases, so a pending one is a leftover: end it.
    /// </summary>
    private async Task RecoverInterruptedOperationAsync(StepContext context)
    {
        var releases = await lab.Helm.ListAsync(spec.Namespace, spec.Cluster.KubeContext, context.Logger, context.CancellationToken).ConfigureAwait(false);
        var current = releases.FirstOrDefault(r => r.Name == spec.Release);
        switch (current?.Status)
        {
            case "pending-install":
                context.Logger.LogWarning("Release {Release} was left pending-install by an interrupted run; uninstalling it to install again", spec.Release);
                await lab.Helm.UninstallAsync(spec.Release, spec.Namespace, spec.Cluster.KubeContext, context.Logger, context.CancellationToken).ConfigureAwait(false);
                break;
            case "pending-upgrade" or "pending-rollback":
                context.Logger.LogWarning("Release {Release} was left {Status} by an interrupted run; rolling it back first", spec.Release, current.Status);
                await lab.Helm.RollbackAsync(spec.Release, spec.Namespace, spec.Cluster.KubeContext, spec.WaitTimeout, context.Logger, context.CancellationToken).ConfigureAwait(false);
                break;
        }
    }

    public override Task<WorkloadDiagnosis?> DiagnoseAsync(StepContext context, Exception failure) => StepFailures.EndsAWait(failure)
        ? WorkloadDiagnosis.ReadAsync(lab.Kubernetes.For(spec.Cluster.KubeContext), spec.Namespace, context.CancellationToken)
        : Task.FromResult<WorkloadDiagnosis?>(null);

    public override string? HintFor(Exception failure) => failure is Tools.ToolFailedException { Result.Error: var error } && IsChartNotFound(error)
        ? $"check the chart name '{spec.Chart.Chart}', version '{spec.Chart.Version}' and repository '{spec.Chart.Repo}' "
          + $"(`helm show chart {string.Join(' ', Tools.Helm.ChartArguments(spec.Chart))} --version {spec.Chart.Version}`), fix them, then restart the AppHost"
        : $"see what is not ready with `kubectl --context {spec.Cluster.KubeContext} -n {spec.Namespace} get pods,events`, "
        + $"check the values in {string.Join(", ", spec.ValuesFiles.Concat(spec.GeneratedValues.Where(g => !g.Secret).Select(g => g.Path)).Select(Path.GetFileName))}, then use Retry on {ResourceName}";

    // helm v4.1.4 pkg/repo/v1/error.go ChartNotFoundError ("... not found in URL repository"); an OCI registry's
    // missing manifest: oras-go v2.6.0 copyerror.go ("failed to perform \"FetchReference\" on source: REF: not found").
    private static bool IsChartNotFound(string error) =>
        error.Contains(" repository", StringComparison.Ordinal) && error.Contains("not found in ", StringComparison.Ordinal)
        || error.Contains("\"FetchReference\" on source:", StringComparison.Ordinal) && error.TrimEnd().EndsWith("not found", StringComparison.Ordinal);
}
