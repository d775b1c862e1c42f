using System.Text;
using System.Text.RegularExpressions;
using LgtmLab.Tests.Fakes.Kubernetes;

namespace LgtmLab.Tests.Mesh;

/// <summary>
/// The fake linkerd's `multicluster link-gen` and `multicluster check` print what linkerd2 edge-26.8.3 prints for the
/// lab's linked clusters (multicluster/cmd/link-gen.go, check.go, pkg/healthcheck/healthcheck_output.go).
/// </summary>
public sealed partial class FakeMulticlusterOutputTests : IAsyncLifetime
{
    private MeshLab _lab = null!;

    public async Task InitializeAsync()
    {
        _lab = MeshLab.Create();
        MeshLab.AllSucceeded(await _lab.RunAsync());
    }

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    private string GatewayAddress =>
        (string)_lab.Central.Api!.Get("v1", "Service", "linkerd-multicluster", "linkerd-gateway")!["status"]!["loadBalancer"]!["ingress"]![0]!["ip"]!;

    private Task<Fakes.FakeRunResult> LinkGenAsync() =>
        _lab.Toolbox.RunAsync("linkerd", "--context", "kind-lgtm-central", "multicluster", "link-gen", "--cluster-name", "lgtm-central",
            "--api-server-address", $"https://{_lab.Central.ControlPlane.IpAddress}:6443");

    [Fact]
    public async Task Link_gen_prints_the_source_credentials_the_destination_credentials_and_the_link_each_ended_by_a_separator()
    {
        var result = await LinkGenAsync();
        Assert.Equal(0, result.ExitCode);

        // getCreds twice then getLink, written by sigs.k8s.io/yaml (keys sorted, no zero creationTimestamp, "status: {}"
        // from the Link's struct), each followed by "---\n".
        var text = Base64().Replace(result.Stdout, "kubeconfig: <kubeconfig>");
        Assert.Equal(
            """
            apiVersion: v1
            data:
              kubeconfig: <kubeconfig>
            kind: Secret
            metadata:
              name: cluster-credentials-lgtm-central
              namespace: linkerd-multicluster
            type: mirror.linkerd.io/remote-kubeconfig
            ---
            apiVersion: v1
            data:
              kubeconfig: <kubeconfig>
            kind: Secret
            metadata:
              annotations:
                multicluster.linkerd.io/cluster-domain: cluster.local
                multicluster.linkerd.io/trust-domain: cluster.local
              labels:
                multicluster.linkerd.io/cluster-name: lgtm-central
              name: cluster-credentials-lgtm-central
              namespace: linkerd
            type: mirror.linkerd.io/remote-kubeconfig
            ---
            apiVersion: multicluster.linkerd.io/v1alpha3
            kind: Link
            metadata:
              annotations:
                linkerd.io/created-by: linkerd/cli edge-26.8.3
              name: lgtm-central
              namespace: linkerd-multicluster
            spec:
              clusterCredentialsSecret: cluster-credentials-lgtm-central
              federatedServiceSelector:
                matchLabels:
                  mirror.linkerd.io/federated: member
            """ + $"\n  gatewayAddress: {GatewayAddress}\n" +
            """
              gatewayIdentity: linkerd-gateway.linkerd-multicluster.serviceaccount.identity.linkerd.cluster.local
              gatewayPort: "4143"
              probeSpec:
                path: /ready
                period: 3s
                port: "4191"
              remoteDiscoverySelector:
                matchLabels:
                  mirror.linkerd.io/exported: remote-discovery
              selector:
                matchLabels:
                  mirror.linkerd.io/exported: "true"
              targetClusterDomain: cluster.local
              targetClusterLinkerdNamespace: linkerd
              targetClusterName: lgtm-central
            status: {}
            ---

            """.ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public async Task Link_gens_kubeconfig_is_the_callers_context_with_the_service_account_as_user_and_the_given_api_server()
    {
        var result = await LinkGenAsync();
        var secret = JsonYaml.ParseDocuments(result.Stdout)[0];
        var kubeconfig = Encoding.UTF8.GetString(Convert.FromBase64String((string)secret["data"]!["kubeconfig"]!));
        var token = Encoding.UTF8.GetString(Convert.FromBase64String((string)_lab.Central.Api!.Get("v1", "Secret", "linkerd-multicluster",
            "linkerd-service-mirror-remote-access-default-token")!["data"]!["token"]!));

        // link-gen.go getKubeconfig + client-go clientcmd.Write: the v1 Config, keys sorted.
        Assert.Equal(
            "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: <ca>\n"
            + $"    server: https://{_lab.Central.ControlPlane.IpAddress}:6443\n  name: kind-lgtm-central\n"
            + "contexts:\n- context:\n    cluster: kind-lgtm-central\n    user: linkerd-service-mirror-remote-access-default\n  name: kind-lgtm-central\n"
            + "current-context: kind-lgtm-central\nkind: Config\npreferences: {}\n"
            + $"users:\n- name: linkerd-service-mirror-remote-access-default\n  user:\n    token: {token}\n",
            CertificateAuthority().Replace(kubeconfig, "certificate-authority-data: <ca>"));
    }

    [Fact]
    public async Task Link_gen_without_the_gateways_identity_annotation_fails_like_upstream()
    {
        var api = _lab.Central.Api!;
        var patch = """{"metadata":{"annotations":{"mirror.linkerd.io/gateway-identity":null}}}""";
        Assert.True(api.Send("PATCH", "/api/v1/namespaces/linkerd-multicluster/services/linkerd-gateway", patch, "application/merge-patch+json").IsSuccess);

        var result = await LinkGenAsync();

        Assert.Equal((1, "", "Error: gateway linkerd-gateway.linkerd-multicluster has no mirror.linkerd.io/gateway-identity annotation\n"),
            (result.ExitCode, result.Stdout, result.Stderr));
    }

    [Fact]
    public async Task Check_of_a_healthy_link_prints_upstreams_checks_in_order_with_the_linked_cluster_under_each()
    {
        var result = await _lab.Toolbox.RunAsync("linkerd", "--context", "kind-lgtm-remote", "multicluster", "check", "--wait", "30s");

        // check.go multiclusterCategory; checks without mirror services skip, so "all mirror services ..." are not printed.
        Assert.Equal((0,
            """
            linkerd-multicluster
            --------------------
            √ Link CRD exists
            √ Link resources are valid
            	* lgtm-central
            √ Link and CLI versions match
            	* lgtm-central
            √ remote cluster access credentials are valid
            	* lgtm-central
            √ clusters share trust anchors
            	* lgtm-central
            √ service mirror controller has required permissions
            	* lgtm-central
            √ service mirror controllers are running
            	* lgtm-central
            √ extension is managing controllers
            	* lgtm-central
            √ probe services able to communicate with all gateway mirrors
            	* lgtm-central
            √ multicluster extension proxies are healthy
            √ multicluster extension proxies are up-to-date
            √ multicluster extension proxies and cli versions match

            Status check results are √

            """.ReplaceLineEndings("\n")), (result.ExitCode, result.Stdout));
    }

    [Fact]
    public async Task Check_without_links_skips_every_per_link_check()
    {
        var result = await _lab.Toolbox.RunAsync("linkerd", "--context", "kind-lgtm-central", "multicluster", "check");

        Assert.Equal((0,
            """
            linkerd-multicluster
            --------------------
            √ Link CRD exists
            √ multicluster extension proxies are healthy
            √ multicluster extension proxies are up-to-date
            √ multicluster extension proxies and cli versions match

            Status check results are √

            """.ReplaceLineEndings("\n")), (result.ExitCode, result.Stdout));
    }

    [Fact]
    public async Task Check_with_centrals_gateway_down_fails_the_gateway_mirrors_check_with_upstreams_indentation_and_hint()
    {
        var deleted = await _lab.Toolbox.RunAsync("kubectl", "--context", "kind-lgtm-central", "-n", "linkerd-multicluster", "delete", "deployment", "linkerd-gateway");
        Assert.Equal(0, deleted.ExitCode);

        var result = await _lab.Toolbox.RunAsync("linkerd", "--context", "kind-lgtm-remote", "multicluster", "check", "--wait", "1s");

        // joinErrors(errors, 1) printed after printResultDescription's four spaces; the failed warning-free check exits 1.
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(
            "× probe services able to communicate with all gateway mirrors\n"
            + "        liveness checks failed for lgtm-central\n"
            + "    see https://linkerd.io/2/checks/#l5d-multicluster-gateways-endpoints for hints\n", result.Stdout);
        Assert.EndsWith("\n\nStatus check results are ×\n", result.Stdout);
    }

    [GeneratedRegex("kubeconfig: [A-Za-z0-9+/=]+")]
    private static partial Regex Base64();

    [GeneratedRegex("certificate-authority-data: [A-Za-z0-9+/=]+")]
    private static partial Regex CertificateAuthority();
}
