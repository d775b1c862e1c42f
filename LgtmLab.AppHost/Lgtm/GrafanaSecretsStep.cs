using System.Globalization;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Kubernetes;
using LgtmLab.AppHost.Observability;
using LgtmLab.AppHost.Pki;
using LgtmLab.AppHost.Provisioning;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Lgtm;

/// <summary>
/// The Secrets Grafana's chart expects before it is installed, written through the Kubernetes API (never a
/// command line, a values file or a log): <c>grafana-admin</c> from the Aspire secret parameter and
/// <c>grafana-tls</c> from the lab CA. Check compares what the cluster holds with what it should hold, so no
/// hash of the password is recorded anywhere. A changed password restarts Grafana, which reads it at start.
/// </summary>
internal sealed class GrafanaSecretsStep(ClusterSpec central, IReadOnlyList<string> dependsOn, LabServices lab) : Step
{
    public const string Component = "grafana-secrets";
    public const string TlsCertificateKey = "tls.crt", TlsKeyKey = "tls.key";
    private const string RestartedAtAnnotation = "kubectl.kubernetes.io/restartedAt";

    public override string Id => StepIds.Release(central.Name, Component);
    public override string ResourceName => StepIds.Resource(central.Name, "grafana");
    public override IReadOnlyList<string> DependsOn => dependsOn;
    public override string Fingerprint => Provisioning.Fingerprint.Of(
        ("admin", $"{GrafanaAccess.Namespace}/{GrafanaAccess.AdminSecretName}"), ("tls", $"{GrafanaAccess.Namespace}/{GrafanaAccess.TlsSecretName}"));

    public override async Task<bool> CheckAsync(StepContext context)
    {
        var secrets = Secrets;
        foreach (var secret in await WantedAsync(context).ConfigureAwait(false))
            if (!await secrets.HoldAsync(secret, context.CancellationToken).ConfigureAwait(false)) return false;
        return true;
    }

    public override async Task ApplyAsync(StepContext context)
    {
        var secrets = Secrets;
        foreach (var secret in await WantedAsync(context).ConfigureAwait(false))
        {
            var change = await secrets.CreateOrReplaceAsync(secret, context.Logger, context.CancellationToken).ConfigureAwait(false);
            if (change == ObjectChange.Replaced && secret.Metadata.Name == GrafanaAccess.AdminSecretName)
                await RestartGrafanaAsync(context).ConfigureAwait(false);
        }
    }

    public override string? HintFor(Exception failure) =>
        $"check the Secrets with `kubectl --context {central.KubeContext} -n {GrafanaAccess.Namespace} get secrets`, then use Retry on {ResourceName}";

    private IKubernetes Client => lab.Kubernetes.For(central.KubeContext);

    private NamespacedObjects<V1Secret> Secrets => NamespacedObjects.Secrets(Client, GrafanaAccess.Namespace);

    private async Task<IReadOnlyList<V1Secret>> WantedAsync(StepContext context)
    {
        var source = lab.GrafanaAdminPassword ?? throw new StepFailedException(
            "no Grafana admin password was given to the lab",
            $"run the lab through the AppHost, which passes the Aspire parameter '{GrafanaAccess.AdminPasswordParameter}'");
        var password = await source(context.CancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(password))
            throw new StepFailedException($"the Aspire parameter '{GrafanaAccess.AdminPasswordParameter}' is empty",
                $"set Parameters:{GrafanaAccess.AdminPasswordParameter} in user secrets, or remove it so the AppHost generates one");
        var certificate = new LabCertificateAuthority(lab.Topology.StateDirectory).EnsureGrafanaCertificate(context.Logger);
        return
        [
            Secret(GrafanaAccess.AdminSecretName, "Opaque", new Dictionary<string, string>
            {
                [GrafanaAccess.AdminUserKey] = GrafanaAccess.AdminUser,
                [GrafanaAccess.AdminPasswordKey] = password,
            }),
            Secret(GrafanaAccess.TlsSecretName, "kubernetes.io/tls", new Dictionary<string, string>
            {
                [TlsCertificateKey] = certificate.CertificatePem,
                [TlsKeyKey] = certificate.KeyPem,
            }),
        ];
    }

    /// <summary>Grafana reads the admin password when it starts, and keeps no state of its own (no persistence): restart it.</summary>
    private async Task RestartGrafanaAsync(StepContext context)
    {
        var annotations = new Dictionary<string, string> { [RestartedAtAnnotation] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture) };
        var patch = new V1Patch(
            JsonSerializer.Serialize(new { spec = new { template = new { metadata = new { annotations } } } }),
            V1Patch.PatchType.MergePatch);
        try
        {
            await Client.AppsV1.PatchNamespacedDeploymentAsync(patch, "grafana", GrafanaAccess.Namespace, cancellationToken: context.CancellationToken).ConfigureAwait(false);
            context.Logger.LogInformation("Restarted Grafana so it takes the new admin password");
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            // not installed yet: it will read the new password when it first starts
        }
    }

    private static V1Secret Secret(string name, string type, Dictionary<string, string> data) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = GrafanaAccess.Namespace,
            Labels = new Dictionary<string, string> { ["app.kubernetes.io/part-of"] = "lgtmlab" },
        },
        Type = type,
        Data = data.ToDictionary(d => d.Key, d => Encoding.UTF8.GetBytes(d.Value)),
    };
}
