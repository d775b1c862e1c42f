using System.Globalization;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace LgtmLab.AppHost.Configuration;

/// <summary>lab-assets/dashboards.yaml: the dashboards the lab downloads and provisions, by Grafana folder.</summary>
internal sealed class DashboardCatalog
{
    public const string FileName = "dashboards.yaml";
    public static readonly Uri GrafanaCom = new("https://grafana.com");

    public Dictionary<string, DashboardFolder> Folders { get; set; } = [];

    /// <summary>Loads and strictly parses the file (unknown keys are errors); every dashboard needs exactly one source.</summary>
    public static DashboardCatalog Load(string path)
    {
        var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        using var reader = File.OpenText(path);
        var catalog = deserializer.Deserialize<DashboardCatalog>(reader) ?? new DashboardCatalog();
        foreach (var dashboard in catalog.All)
            _ = dashboard.Source.DownloadUrl(dashboard.Name);
        return catalog;
    }

    /// <summary>Every dashboard, ordered by folder and name.</summary>
    public IReadOnlyList<PinnedDashboard> All =>
    [
        .. Folders.OrderBy(f => f.Key, StringComparer.Ordinal)
            .SelectMany(f => f.Value.Dashboards.OrderBy(d => d.Key, StringComparer.Ordinal)
                .Select(d => new PinnedDashboard(f.Key, f.Value.Title, d.Key, d.Value))),
    ];
}

internal sealed class DashboardFolder
{
    /// <summary>The Grafana folder's title.</summary>
    public string Title { get; set; } = "";
    public Dictionary<string, DashboardSource> Dashboards { get; set; } = [];
}

/// <summary>Where one dashboard comes from: a grafana.com id and revision, or a URL.</summary>
internal sealed class DashboardSource
{
    public int? GnetId { get; set; }
    public int? Revision { get; set; }
    public string? Url { get; set; }

    /// <summary>The download URL; grafana.com's is <c>/api/dashboards/&lt;id&gt;/revisions/&lt;revision&gt;/download</c>.</summary>
    public Uri DownloadUrl(string name) => (GnetId, Revision, Url) switch
    {
        ({ } id, { } revision, null) => new Uri(DashboardCatalog.GrafanaCom,
            string.Create(CultureInfo.InvariantCulture, $"/api/dashboards/{id}/revisions/{revision}/download")),
        (null, null, { Length: > 0 } url) => new Uri(url, UriKind.Absolute),
        _ => throw new InvalidDataException(
            $"lab-assets/{DashboardCatalog.FileName}: dashboard '{name}' needs either gnetId and revision, or url"),
    };

    /// <summary>What it is, for messages: <c>grafana.com 15474 r4</c> or the URL.</summary>
    public string Describe(string name) => GnetId is { } id
        ? string.Create(CultureInfo.InvariantCulture, $"grafana.com {id} r{Revision}")
        : DownloadUrl(name).ToString();
}

/// <summary>One dashboard of the catalog with its folder.</summary>
internal sealed record PinnedDashboard(string Folder, string FolderTitle, string Name, DashboardSource Source)
{
    /// <summary>The ConfigMap that carries it, and the name of Grafana's volume for it.</summary>
    public string ConfigMapName => $"lgtmlab-dashboard-{Folder}-{Name}";

    /// <summary>The directory Grafana mounts its ConfigMap at, which its own provider reads.</summary>
    public string MountPath => $"/var/lib/grafana/dashboards/{Folder}/{Name}";

    public string FileName => $"{Name}.json";

    /// <summary>The URL it is downloaded from; <paramref name="baseUrl"/> replaces scheme, host and port.</summary>
    public Uri DownloadUrl(Uri? baseUrl)
    {
        var url = Source.DownloadUrl(Name);
        return baseUrl is null ? url : new UriBuilder(url) { Scheme = baseUrl.Scheme, Host = baseUrl.Host, Port = baseUrl.Port }.Uri;
    }

    public override string ToString() => $"{FolderTitle}/{Name} ({Source.Describe(Name)})";
}
