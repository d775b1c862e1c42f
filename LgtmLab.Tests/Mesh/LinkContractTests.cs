using System.Text;
using System.Text.Json.Nodes;
using LgtmLab.AppHost.Mesh;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.Tests.Engine;
using LgtmLab.Tests.Fakes.Kubernetes;

namespace LgtmLab.Tests.Mesh;

/// <summary>The link from the remote to central: link-gen, the apply through stdin, the probe and the dashboard commands.</summary>
public sealed class LinkContractTests : IAsyncLifetime
{
    private const string LinkApi = "multicluster.linkerd.io/v1alpha3";
    private MeshLab _lab = null!;

    public async Task InitializeAsync()
    {
        _lab = MeshLab.Create();
        MeshLab.AllSucceeded(await _lab.RunAsync());
    }

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    private string CentralToken()
    {
        var secret = _lab.Central.Api!.Get("v1", "Secret", "linkerd-multicluster", "linkerd-service-mirror-remote-access-default-token")!;
        return Encoding.UTF8.GetString(Convert.FromBase64String((string)secret["data"]!["token"]!));
    }

    private static string CentralGatewayAddress(MeshLab lab) =>
        (string)lab.Central.Api!.Get("v1", "Service", "linkerd-multicluster", "linkerd-gateway")!["status"]!["loadBalancer"]!["ingress"]![0]!["ip"]!;

    [Fact]
    public async Task Link_gen_runs_against_central_with_its_node_address_from_docker_inspect_and_the_output_goes_to_the_remote_through_stdin()
    {
        var centralNode = _lab.Central.ControlPlane.IpAddress;
        var linkGen = Assert.Single(_lab.Toolbox.Invocations, i => i.Tool == "linkerd");
        Assert.Equal(["--context", "kind-lgtm-central", "multicluster", "link-gen", "--cluster-name", "lgtm-central", "--api-server-address", $"https://{centralNode}:6443"], linkGen.Args);
        var inspect = _lab.Toolbox.Invocations.ToList().FindIndex(i => i.CommandLine == "docker inspect --format {{json .NetworkSettings.Networks}} lgtm-central-control-plane");
        Assert.InRange(inspect, 0, _lab.Toolbox.Invocations.ToList().IndexOf(linkGen));

        var apply = Assert.Single(_lab.Toolbox.Invocations, i => i.CommandLine.EndsWith(" -f -", StringComparison.Ordinal));
        Assert.Equal("kubectl --context kind-lgtm-remote apply --server-side --field-manager lgtmlab -f -", apply.CommandLine);
        Assert.Contains("secret/cluster-credentials-lgtm-central serverside-applied", apply.Stdout);

        var link = _lab.Remote.Api!.Get(LinkApi, "Link", "linkerd-multicluster", "lgtm-central")!;
        Assert.Equal(CentralGatewayAddress(_lab), (string?)link["spec"]!["gatewayAddress"]);
        Assert.Equal("true", (string?)link["spec"]!["selector"]!["matchLabels"]!["mirror.linkerd.io/exported"]);
        var credentials = _lab.Remote.Api!.Get("v1", "Secret", "linkerd-multicluster", "cluster-credentials-lgtm-central")!;
        var kubeconfig = Encoding.UTF8.GetString(Convert.FromBase64String((string)credentials["data"]!["kubeconfig"]!));
        Assert.Contains($"server: https://{centralNode}:6443", kubeconfig);
        Assert.Contains(CentralToken(), kubeconfig);
        Assert.NotNull(_lab.Remote.Api!.Get("v1", "Secret", "linkerd", "cluster-credentials-lgtm-central"));

        // The bearer token appears nowhere the lab writes: not in a command line, not in a log line, not in a file of the state folder.
        var token = CentralToken();
        Assert.DoesNotContain(_lab.LogLines, l => l.Contains(token, StringComparison.Ordinal));
        Assert.DoesNotContain(_lab.Toolbox.Invocations, i => i.CommandLine.Contains(token, StringComparison.Ordinal));
        Assert.DoesNotContain(Directory.GetFiles(_lab.StateDirectory, "*", SearchOption.AllDirectories), f => File.ReadAllText(f).Contains(token, StringComparison.Ordinal));
        Assert.Contains(_lab.LogLines, l => l.Contains("not shown: they hold a bearer token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_link_probe_is_healthy_with_the_gateways_latency_and_the_commands_show_check_and_gateways_in_the_log()
    {
        using var controller = _lab.Controller();
        var link = controller.Resources.Single(r => r.Name == "lgtm-remote-link");

        var probe = await link.Probe!(CancellationToken.None);
        Assert.True(probe.Healthy, probe.Description);
        Assert.Equal($"gateway of lgtm-central at {CentralGatewayAddress(_lab)}:4143 alive, latency 2ms, 0 mirrored services", probe.Description);

        var checkLog = new ListLogger();
        var check = await link.Actions.Single(a => a.Name == LinkHealth.CheckCommand).Run(checkLog, CancellationToken.None);
        Assert.Equal("linkerd multicluster check passed on lgtm-remote", check);
        Assert.Contains("$ linkerd --context kind-lgtm-remote multicluster check --wait 30s", checkLog.Lines);
        Assert.Contains("√ remote cluster access credentials are valid", checkLog.Lines);
        Assert.Contains("√ clusters share trust anchors", checkLog.Lines);
        Assert.Contains("Status check results are √", checkLog.Lines);

        var gatewaysLog = new ListLogger();
        var gateways = await link.Actions.Single(a => a.Name == LinkHealth.GatewaysCommand).Run(gatewaysLog, CancellationToken.None);
        Assert.Equal("lgtm-central: alive, latency 2ms", gateways);
        Assert.Contains(gatewaysLog.Lines, l => l.StartsWith("CLUSTER", StringComparison.Ordinal) && l.Contains("ALIVE", StringComparison.Ordinal));
        Assert.Contains(gatewaysLog.Lines, l => l.StartsWith("lgtm-central", StringComparison.Ordinal) && l.Contains("True", StringComparison.Ordinal));
        Assert.All(link.Actions, a => Assert.False(a.Mutates));
    }

    [Fact]
    public async Task The_fake_gateways_table_is_upstreams_byte_for_byte()
    {
        var gateways = await _lab.Toolbox.RunAsync("linkerd", "--context", "kind-lgtm-remote", "multicluster", "gateways");

        // linkerd2 edge-26.8.3 multicluster/cmd/gateways.go + cli/table/table.go (widths 7/5 flexible left, 9/11 fixed right).
        Assert.Equal((0, "CLUSTER       ALIVE    NUM_SVC      LATENCY  \nlgtm-central  True           0          2ms  \n"), (gateways.ExitCode, gateways.Stdout));
    }

    [Fact]
    public async Task A_gateway_that_is_down_turns_the_link_unhealthy_with_the_reason_and_fails_the_check()
    {
        var deleted = await _lab.Toolbox.RunAsync("kubectl", "--context", "kind-lgtm-central", "-n", "linkerd-multicluster", "delete", "deployment", "linkerd-gateway");
        Assert.Equal(0, deleted.ExitCode);
        using var controller = _lab.Controller();
        var link = controller.Resources.Single(r => r.Name == "lgtm-remote-link");

        var probe = await link.Probe!(CancellationToken.None);

        Assert.False(probe.Healthy);
        Assert.StartsWith($"gateway of lgtm-central at {CentralGatewayAddress(_lab)}:4143 is not alive", probe.Description);
        Assert.Contains("kubectl --context kind-lgtm-central -n linkerd-multicluster get pods,svc", probe.Description);

        var log = new ListLogger();
        var failure = await Assert.ThrowsAsync<AppHost.Tools.ToolFailedException>(() => link.Actions.Single(a => a.Name == LinkHealth.CheckCommand).Run(log, CancellationToken.None));
        // linkerd2 edge-26.8.3 multicluster/cmd/check.go: the check of the gateway mirrors and its failure for a dead gateway.
        Assert.Contains("× probe services able to communicate with all gateway mirrors", log.Lines);
        Assert.Contains("        liveness checks failed for lgtm-central", log.Lines);
        Assert.Contains("Status check results are ×", failure.Message);
    }

    [Fact]
    public async Task Out_of_date_credentials_turn_the_link_unhealthy_and_the_next_run_links_again_and_nothing_else()
    {
        // What re-creating the service account's token does (e.g. central re-created): the remote's copy goes stale.
        var api = _lab.Central.Api!;
        var path = "/api/v1/namespaces/linkerd-multicluster/secrets/linkerd-service-mirror-remote-access-default-token";
        var secret = api.Get("v1", "Secret", "linkerd-multicluster", "linkerd-service-mirror-remote-access-default-token")!;
        Assert.True(api.Send("DELETE", path).IsSuccess);
        var fresh = new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Secret", ["type"] = "kubernetes.io/service-account-token",
            ["metadata"] = new JsonObject { ["name"] = "linkerd-service-mirror-remote-access-default-token", ["namespace"] = "linkerd-multicluster",
                ["annotations"] = secret["metadata"]!["annotations"]!.DeepClone() },
        };
        Assert.True(api.Send("POST", "/api/v1/namespaces/linkerd-multicluster/secrets", JsonYaml.ToJson(fresh), "application/json").IsSuccess);

        using (var controller = _lab.Controller())
        {
            var link = controller.Resources.Single(r => r.Name == "lgtm-remote-link");
            var probe = await link.Probe!(CancellationToken.None);
            Assert.False(probe.Healthy);
            Assert.StartsWith("the credentials of the Link to lgtm-central are out of date", probe.Description);
            Assert.EndsWith("Retry on lgtm-remote-link links again", probe.Description);
            var log = new ListLogger();
            await Assert.ThrowsAsync<AppHost.Tools.ToolFailedException>(() => link.Actions.Single(a => a.Name == LinkHealth.CheckCommand).Run(log, CancellationToken.None));
            Assert.Contains("× remote cluster access credentials are valid", log.Lines);
        }

        _lab.Toolbox.ClearJournal();
        var outcomes = await _lab.RunAsync();

        MeshLab.AllSucceeded(outcomes);
        Assert.True(outcomes[StepIds.Link("lgtm-remote")].Applied);
        Assert.Equal("kubectl --context kind-lgtm-remote apply --server-side --field-manager lgtmlab -f -", Assert.Single(_lab.Toolbox.Mutating).CommandLine);
        using var after = _lab.Controller();
        Assert.True((await after.Resources.Single(r => r.Name == "lgtm-remote-link").Probe!(CancellationToken.None)).Healthy);
    }
}
