namespace LgtmLab.AppHost.Configuration;

/// <summary>The <c>Lab</c> configuration section: what lab to build. Validated before anything runs.</summary>
internal sealed class LabOptions
{
    public const string SectionName = "Lab";

    /// <summary>Name of the lab; names the state folder (<c>~/.lgtmlab/&lt;name&gt;</c>).</summary>
    public string Name { get; set; } = "lgtm";

    /// <summary>Where the lab keeps its state (certificates, rendered configs); default <c>~/.lgtmlab/&lt;Name&gt;</c>.</summary>
    public string? StateDirectory { get; set; }

    /// <summary>Persistent (default): clusters outlive the AppHost. Session: deleted when the AppHost stops.</summary>
    public ClusterLifetime Lifetime { get; set; } = ClusterLifetime.Persistent;

    /// <summary>The cluster that runs the LGTM stack.</summary>
    public ClusterOptions Central { get; set; } = new() { Name = "lgtm-central", Tenant = "central" };

    /// <summary>The clusters that run workloads and agents; each is one tenant. Default: one, <c>lgtm-remote</c>.</summary>
    public List<ClusterOptions> Remotes { get; set; } = [];

    /// <summary>Which components to install.</summary>
    public ComponentOptions Components { get; set; } = new();

    /// <summary>Turns the whole cluster side off (only the local TNS projects run).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The kubeconfig file every tool and client uses (<c>KUBECONFIG</c>); default <c>~/.kube/config</c>.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>The lab-assets folder (versions, kind configs, values, manifests); default: found above the AppHost.</summary>
    public string? AssetsDirectory { get; set; }

    /// <summary>
    /// Replaces scheme, host and port of every dashboard download URL (lab-assets/dashboards.yaml): a mirror of
    /// grafana.com and raw.githubusercontent.com, or a local server in tests. Null: the upstream URLs.
    /// </summary>
    public Uri? DashboardsBaseUrl { get; set; }

    /// <summary>How transient failures are retried.</summary>
    public RetryOptions Retry { get; set; } = new();

    /// <summary>Remotes as configured, or the default single remote when none are.</summary>
    public IReadOnlyList<ClusterOptions> EffectiveRemotes =>
        Remotes.Count > 0 ? Remotes : [new ClusterOptions { Name = "lgtm-remote", Tenant = "lgtm-remote" }];
}

/// <summary>One kind cluster. Unset CIDRs are allocated automatically, distinct per cluster.</summary>
internal sealed class ClusterOptions
{
    public string Name { get; set; } = "";
    /// <summary>Tenant id (<c>X-Scope-OrgID</c>) its telemetry is stored under; default: the cluster name.</summary>
    public string? Tenant { get; set; }
    public string? PodSubnet { get; set; }
    public string? ServiceSubnet { get; set; }
    /// <summary>Host port overrides by mapping name (e.g. <c>http</c>, <c>https</c>, <c>otlp-grpc</c>, <c>otlp-http</c>).</summary>
    public Dictionary<string, int> HostPorts { get; set; } = [];
}

/// <summary>Whether clusters outlive the AppHost.</summary>
internal enum ClusterLifetime { Persistent, Session }

/// <summary>Component switches; later issues add steps behind each.</summary>
internal sealed class ComponentOptions
{
    public bool MetalLb { get; set; } = true;
    public bool Linkerd { get; set; } = true;
    public bool Lgtm { get; set; } = true;
    public bool Tns { get; set; } = true;
}
