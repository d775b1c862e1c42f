using System.Collections.Immutable;
using System.Globalization;
using LgtmLab.AppHost.Provisioning;

namespace LgtmLab.AppHost.Hosting;

/// <summary>Turns a lab resource's definition and step summary into what the dashboard shows.</summary>
internal static class LabSnapshots
{
    /// <summary>Prefix of every property the hosting layer owns, so an update replaces exactly those.</summary>
    private const string Prefix = "lab.";
    public const string StatusProperty = "lab.status";
    public const string ErrorProperty = "lab.error";
    public const string StepProperty = "lab.step";
    public const string StepsProperty = "lab.steps";
    public const string WarningProperty = "lab.warning";

    /// <summary>The text of a failed resource's state. Not Aspire's FailedToStart: that one is terminal, so a
    /// <c>WaitFor</c> on the resource would give up for good, although Retry can still bring it up.</summary>
    public const string Failed = "Failed";

    /// <summary>What a lab resource shows while the app model is built: its kind, not started.</summary>
    public static CustomResourceSnapshot Initial(string kind) => new()
    {
        ResourceType = kind,
        State = KnownResourceStates.NotStarted,
        CreationTimeStamp = DateTime.UtcNow,
        Properties = [],
    };

    /// <summary>What it shows once the engine has described it, before any of its steps ran.</summary>
    public static CustomResourceSnapshot Initial(LabResource definition) => Initial(definition.Kind) with
    {
        Properties = Properties(definition, LabResourceStatus.NotStarted),
    };

    public static CustomResourceSnapshot Apply(CustomResourceSnapshot snapshot, LabResource definition, LabResourceStatus status)
    {
        var now = DateTime.UtcNow;
        var restarted = snapshot.StopTimeStamp is not null || snapshot.StartTimeStamp is null;
        return status.Phase switch
        {
            LabResourcePhase.Starting or LabResourcePhase.Running => snapshot with
            {
                State = StateOf(status),
                StartTimeStamp = restarted ? now : snapshot.StartTimeStamp,
                StopTimeStamp = null,
                Properties = Merge(snapshot.Properties, definition, status),
                Urls = status.Phase == LabResourcePhase.Running ? Urls(definition) : [],
            },
            LabResourcePhase.Failed or LabResourcePhase.Deleted => snapshot with
            {
                State = StateOf(status.Phase),
                StopTimeStamp = snapshot.StopTimeStamp ?? now,
                Properties = Merge(snapshot.Properties, definition, status),
                Urls = [],
            },
            _ => snapshot with
            {
                State = StateOf(status.Phase),
                StartTimeStamp = null,
                StopTimeStamp = null,
                Properties = Merge(snapshot.Properties, definition, status),
                Urls = [],
            },
        };
    }

    /// <summary>A resource that runs with a warning keeps the text Running (what <c>WaitFor</c> and the health
    /// checks go by: it works) in the warning style, so the dashboard shows it is not all there.</summary>
    public static ResourceStateSnapshot StateOf(LabResourceStatus status) =>
        status is { Phase: LabResourcePhase.Running, Warning: not null }
            ? new(KnownResourceStates.Running, KnownResourceStateStyles.Warn)
            : StateOf(status.Phase);

    public static ResourceStateSnapshot StateOf(LabResourcePhase phase) => phase switch
    {
        LabResourcePhase.Waiting => new(KnownResourceStates.Waiting, KnownResourceStateStyles.Info),
        LabResourcePhase.Blocked => new(KnownResourceStates.Waiting, KnownResourceStateStyles.Warn),
        LabResourcePhase.Starting => new(KnownResourceStates.Starting, KnownResourceStateStyles.Info),
        LabResourcePhase.Running => new(KnownResourceStates.Running, KnownResourceStateStyles.Success),
        LabResourcePhase.Failed => new(Failed, KnownResourceStateStyles.Error),
        LabResourcePhase.Deleted => new(LabResourceStates.Deleted, KnownResourceStateStyles.Info),
        _ => new(KnownResourceStates.NotStarted, null),
    };

    /// <summary>One line for the Status property and the health description.</summary>
    public static string Describe(LabResourceStatus status) => status.Phase switch
    {
        LabResourcePhase.NotStarted => "Not started",
        LabResourcePhase.Waiting => status.Message ?? "Waiting for its dependencies",
        LabResourcePhase.Blocked => status.Message ?? "Blocked by a failed dependency",
        LabResourcePhase.Starting => status.Message ?? $"Running {status.StepId}",
        LabResourcePhase.Running when status.Warning is not null => $"Ready, with a warning: {status.Warning}",
        LabResourcePhase.Running => status.Total == 1 ? "Ready" : $"Ready ({status.Total} steps)",
        LabResourcePhase.Failed => status.StepId == LabStatusProjection.HostingStepId ? "Failed; Retry runs it again" : $"{status.StepId} failed; Retry runs it again",
        LabResourcePhase.Deleted => "Cluster deleted; Recreate cluster (or the next AppHost start) creates it again",
        _ => status.Phase.ToString(),
    };

    /// <summary>What went wrong when it failed (the error itself), else the same as <see cref="Describe"/>.</summary>
    public static string Explain(LabResourceStatus status) =>
        status.Phase == LabResourcePhase.Failed && status.Message is not null ? status.Message : Describe(status);

    private static ImmutableArray<ResourcePropertySnapshot> Merge(
        ImmutableArray<ResourcePropertySnapshot> current, LabResource definition, LabResourceStatus status) =>
        [.. current.Where(p => !p.Name.StartsWith(Prefix, StringComparison.Ordinal)), .. Properties(definition, status)];

    private static ImmutableArray<ResourcePropertySnapshot> Properties(LabResource definition, LabResourceStatus status)
    {
        var properties = ImmutableArray.CreateBuilder<ResourcePropertySnapshot>();
        // Highlighted, because the dashboard hides properties it does not know unless they are.
        if (status.Phase == LabResourcePhase.Failed)
            properties.Add(new(ErrorProperty, status.Message ?? $"{status.StepId} failed") { DisplayName = "Error", IsHighlighted = true, SortOrder = 0 });
        if (status.Warning is not null)
            properties.Add(new(WarningProperty, status.Warning) { DisplayName = "Warning", IsHighlighted = true, SortOrder = 0 });
        properties.Add(new(StatusProperty, Describe(status)) { DisplayName = "Status", IsHighlighted = true, SortOrder = 1 });
        if (status.StepId is not null)
            properties.Add(new(StepProperty, status.StepId) { DisplayName = "Step", IsHighlighted = true, SortOrder = 2 });
        if (status.Total > 0)
            properties.Add(new(StepsProperty, string.Create(CultureInfo.InvariantCulture, $"{status.Succeeded}/{status.Total} succeeded")) { DisplayName = "Steps", IsHighlighted = true, SortOrder = 3 });

        var order = 10;
        foreach (var (key, value) in definition.PropertiesNow())
        {
            if (!IsUrl(value))
                properties.Add(new(Prefix + key, value) { DisplayName = Humanize(key), IsHighlighted = true, SortOrder = order++ });
        }
        return properties.ToImmutable();
    }

    /// <summary>The engine's camelCase keys as labels: <c>podSubnet</c> becomes "Pod subnet".</summary>
    internal static string Humanize(string key)
    {
        var words = new System.Text.StringBuilder(key.Length + 4);
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (i == 0)
                words.Append(char.ToUpperInvariant(c));
            else if (char.IsUpper(c) && !char.IsUpper(key[i - 1]))
                words.Append(' ').Append(char.ToLowerInvariant(c));
            else
                words.Append(c);
        }
        return words.ToString();
    }

    /// <summary>Properties whose value is an absolute http(s) URL a browser on this machine can open are shown as URLs,
    /// and only while Running; an in-cluster address (e.g. Alloy's OTLP endpoint for a workload) stays a property.</summary>
    private static ImmutableArray<UrlSnapshot> Urls(LabResource definition) =>
        [.. definition.PropertiesNow().Where(p => IsUrl(p.Value)).Select(p => new UrlSnapshot(p.Key, p.Value, IsInternal: false))];

    private static bool IsUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && !uri.Host.EndsWith(".cluster.local", StringComparison.OrdinalIgnoreCase);
}
