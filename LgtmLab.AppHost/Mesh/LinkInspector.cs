using System.Text;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.KubeConfigModels;
using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Kubernetes;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Steps;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Mesh;

/// <summary>Where central's end of a link is: its gateway's LoadBalancer address and its API server as the remote's pods reach it.</summary>
internal sealed record LinkTarget(string GatewayAddress, string ApiServerAddress);

/// <summary>
/// Reads both ends of the link from a remote to central, read-only: central's gateway address and API server
/// address, and whether the remote's Link and credentials match them. The credentials are compared with
/// central's current service account token in memory; neither is ever logged.
/// </summary>
internal sealed class LinkInspector(ClusterSpec remote, ClusterSpec central, LabServices lab)
{
    /// <summary>Central's gateway address, or null while MetalLB has not given it one.</summary>
    public Task<string?> GatewayAddressAsync(CancellationToken cancellationToken) =>
        ClusterQueries.LoadBalancerAddressAsync(lab.Kubernetes.For(central.KubeContext), LinkerdNames.MulticlusterNamespace, LinkerdNames.Gateway, cancellationToken);

    /// <summary>
    /// Central's API server as the remote's pods reach it: the control-plane node's address on the kind network
    /// (the kubeconfig's 127.0.0.1 port is the host's); kubeadm puts that address in the server certificate.
    /// </summary>
    public async Task<string> ApiServerAddressAsync(ILogger logger, CancellationToken cancellationToken)
    {
        var ip = await lab.Docker.ContainerAddressAsync($"{central.Name}-control-plane", NodeRoutesStep.KindNetwork, logger, cancellationToken).ConfigureAwait(false);
        return $"https://{ip}:{LinkerdNames.ApiServerPort}";
    }

    /// <summary>What is wrong with the remote's Link to central; null when it points at <paramref name="target"/> with central's current credentials.</summary>
    public async Task<string?> ProblemAsync(LinkTarget target, CancellationToken cancellationToken)
    {
        var client = lab.Kubernetes.For(remote.KubeContext);
        var ns = LinkerdNames.MulticlusterNamespace;
        JsonElement link;
        try
        {
            link = await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(LinkerdNames.LinkGroup, LinkerdNames.LinkVersion, ns,
                LinkerdNames.LinkPlural, central.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            return $"{remote.Name} has no Link to {central.Name} ({ns}/{central.Name})";
        }
        var gateway = link.TryGetProperty("spec", out var spec) && spec.TryGetProperty("gatewayAddress", out var address) ? address.GetString() : null;
        if (gateway != target.GatewayAddress)
            return $"the Link to {central.Name} points at gateway {gateway ?? "(none)"}, but central's gateway is at {target.GatewayAddress}";

        var secretName = LinkerdNames.CredentialsSecret(central.Name);
        k8s.Models.V1Secret secret;
        try
        {
            secret = await client.CoreV1.ReadNamespacedSecretAsync(secretName, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            return $"the credentials of the Link to {central.Name} ({ns}/{secretName}) are missing";
        }
        var credentials = ReadKubeconfig(secret);
        if (credentials is null)
            return $"the credentials of the Link to {central.Name} ({ns}/{secretName}) hold no readable kubeconfig";
        if (credentials.Value.Server != target.ApiServerAddress)
            return $"the credentials of the Link to {central.Name} point at API server {credentials.Value.Server}, but central's is {target.ApiServerAddress}";
        var token = await CentralTokenAsync(cancellationToken).ConfigureAwait(false);
        if (token is null)
            return $"central has no token for {LinkerdNames.RemoteAccessServiceAccount} (is linkerd-multicluster installed on {central.Name}?)";
        return credentials.Value.Token == token ? null
            : $"the credentials of the Link to {central.Name} are out of date: central's {LinkerdNames.RemoteAccessServiceAccount} token has changed (was central re-created?)";
    }

    private static (string? Server, string? Token)? ReadKubeconfig(k8s.Models.V1Secret secret)
    {
        if (secret.Data?.TryGetValue("kubeconfig", out var bytes) != true) return null;
        try
        {
            var config = KubernetesYaml.Deserialize<K8SConfiguration>(Encoding.UTF8.GetString(bytes!));
            return (config.Clusters?.FirstOrDefault()?.ClusterEndpoint?.Server, config.Users?.FirstOrDefault()?.UserCredentials?.Token);
        }
        catch (YamlDotNet.Core.YamlException)
        {
            return null;
        }
    }

    private async Task<string?> CentralTokenAsync(CancellationToken cancellationToken)
    {
        var secrets = await lab.Kubernetes.For(central.KubeContext).CoreV1.ListNamespacedSecretAsync(LinkerdNames.MulticlusterNamespace,
            fieldSelector: "type=kubernetes.io/service-account-token", cancellationToken: cancellationToken).ConfigureAwait(false);
        var secret = secrets.Items.FirstOrDefault(s =>
            s.Type == "kubernetes.io/service-account-token"
            && s.Metadata.Annotations?.TryGetValue("kubernetes.io/service-account.name", out var account) == true
            && account == LinkerdNames.RemoteAccessServiceAccount);
        return secret?.Data?.TryGetValue("token", out var token) == true ? Encoding.UTF8.GetString(token) : null;
    }
}
