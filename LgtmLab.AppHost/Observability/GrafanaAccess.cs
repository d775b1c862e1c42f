using LgtmLab.AppHost.Configuration;

namespace LgtmLab.AppHost.Observability;

/// <summary>
/// How Grafana is reached and what it needs before its chart is installed: the Secrets the lab creates in
/// its namespace (the admin credentials from the Aspire secret parameter, the TLS certificate from the lab CA).
/// </summary>
internal static class GrafanaAccess
{
    public const string Namespace = ObservabilityNamespaces.Observability;
    public const string Host = "grafana.example.com";
    public const string HttpsUrl = "https://" + Host;

    /// <summary>kubernetes.io/tls Secret with the certificate for <see cref="Host"/>, signed by the lab CA.</summary>
    public const string TlsSecretName = "grafana-tls";

    /// <summary>Opaque Secret with the admin user and password (keys <see cref="AdminUserKey"/>, <see cref="AdminPasswordKey"/>).</summary>
    public const string AdminSecretName = "grafana-admin";
    public const string AdminUserKey = "admin-user", AdminPasswordKey = "admin-password";
    public const string AdminUser = "admin";

    /// <summary>The Aspire secret parameter holding the admin password (generated and kept in user secrets when not set).</summary>
    public const string AdminPasswordParameter = "grafana-admin-password";

    /// <summary>The host port kind maps to Traefik's web node port on central (mapping name <c>http</c>).</summary>
    public const int DefaultLocalHttpPort = HostPortDefaults.DefaultHttpHostPort;
    public const int WebNodePort = HostPortDefaults.WebNodePort, WebSecureNodePort = HostPortDefaults.WebSecureNodePort;

    /// <summary>The URL that needs no /etc/hosts edit: Traefik's web entry point through kind's host port.</summary>
    public static string LocalhostUrl(ClusterOptions central) =>
        $"http://localhost:{(central.HostPorts.TryGetValue("http", out var port) ? port : DefaultLocalHttpPort)}";
}
