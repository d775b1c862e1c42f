using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;

namespace LgtmLab.Tests.Fakes.Kubernetes;

/// <summary>
/// The pods a <see cref="FakePodFault"/> leaves, read through KubernetesClient (its models are generated from the API,
/// so a field the fake misnames reads as null), and the pod log endpoint's answers.
/// </summary>
public sealed class FakePodFaultTests : IAsyncLifetime
{
    private FakeKubernetesApi _api = null!;
    private k8s.Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeKubernetesApi.StartAsync(new FakeKubernetesApiOptions
        {
            ClusterName = "lgtm-central",
            Nodes = [new FakeNode("lgtm-central-control-plane", "172.18.0.2", "10.11.0.0/24")],
        });
        _client = _api.CreateClient();
        _api.Send("POST", "/api/v1/namespaces", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"apps"}}""", "application/json");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _api.DisposeAsync();
    }

    private void ApplyDeployment(string name = "web", string image = "example.invalid/web:1") =>
        _api.Send("PATCH", $"/apis/apps/v1/namespaces/apps/deployments/{name}?fieldManager=test", JsonYaml.ToJson(new JsonObject
        {
            ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 1,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = name, ["image"] = image }) },
                },
            },
        }), "application/apply-patch+yaml");

    private static string Message(HttpOperationException e) => (string?)JsonNode.Parse(e.Response.Content)?["message"] ?? "";

    [Fact]
    public async Task A_crash_looping_workload_has_a_pod_with_waiting_and_last_state_and_serves_the_previous_log_tail()
    {
        _api.BreakPods("apps", new FakePodFault.CrashLoopBackOff(2, "one\ntwo\nthree\n"));
        ApplyDeployment();

        var pod = Assert.Single((await _client.CoreV1.ListNamespacedPodAsync("apps")).Items);
        var status = Assert.Single(pod.Status.ContainerStatuses);
        Assert.Equal("CrashLoopBackOff", status.State.Waiting.Reason);
        Assert.StartsWith("back-off 40s restarting failed container=web pod=" + pod.Metadata.Name + "_apps(", status.State.Waiting.Message, StringComparison.Ordinal);
        Assert.Equal((2, "Error"), (status.LastState.Terminated.ExitCode, status.LastState.Terminated.Reason));
        Assert.Equal("Available: 0/1", Ready(_api.Get("apps/v1", "Deployment", "apps", "web")!));
        using var log = await _client.CoreV1.ReadNamespacedPodLogAsync(pod.Metadata.Name, "apps", container: "web", previous: true, tailLines: 2);
        Assert.Equal("two\nthree\n", await new StreamReader(log).ReadToEndAsync());
        var backOff = Assert.Single((await _client.CoreV1.ListNamespacedEventAsync("apps")).Items);
        Assert.Equal(("Warning", "BackOff", "Pod", pod.Metadata.Name), (backOff.Type, backOff.Reason, backOff.InvolvedObject.Kind, backOff.InvolvedObject.Name));
    }

    private static string Ready(JsonObject deployment) =>
        $"Available: {deployment["status"]?["availableReplicas"]}/{deployment["status"]?["updatedReplicas"]}";

    [Fact]
    public async Task The_previous_log_of_a_container_that_never_terminated_is_a_400_as_the_kubelet_answers()
    {
        _api.BreakPods("apps", new FakePodFault.ReadinessProbeFails("HTTP probe failed with statuscode: 503"));
        ApplyDeployment();
        var pod = Assert.Single((await _client.CoreV1.ListNamespacedPodAsync("apps")).Items);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _client.CoreV1.ReadNamespacedPodLogAsync(pod.Metadata.Name, "apps", container: "web", previous: true));
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ReadNamespacedPodLogAsync("nope", "apps"));

        Assert.Equal(HttpStatusCode.BadRequest, error.Response.StatusCode);
        Assert.Equal($"previous terminated container \"web\" in pod \"{pod.Metadata.Name}\" not found", Message(error));
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
        Assert.Equal("Running", pod.Status.Phase);
        Assert.False(pod.Status.ContainerStatuses.Single().Ready);
        var unhealthy = Assert.Single((await _client.CoreV1.ListNamespacedEventAsync("apps")).Items);
        Assert.Equal(("Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503"), (unhealthy.Reason, unhealthy.Message));
    }

    [Fact]
    public async Task An_unschedulable_pod_is_pending_with_the_schedulers_condition_and_event()
    {
        _api.BreakPods("apps", new FakePodFault.Unschedulable("0/1 nodes are available: 1 Insufficient memory."));
        ApplyDeployment();

        var pod = Assert.Single((await _client.CoreV1.ListNamespacedPodAsync("apps")).Items);
        var scheduled = pod.Status.Conditions.Single(c => c.Type == "PodScheduled");
        Assert.Equal(("Pending", "False", "Unschedulable", "0/1 nodes are available: 1 Insufficient memory."),
            (pod.Status.Phase, scheduled.Status, scheduled.Reason, scheduled.Message));
        Assert.Null(pod.Spec.NodeName);
        var failed = Assert.Single((await _client.CoreV1.ListNamespacedEventAsync("apps")).Items);
        Assert.Equal(("FailedScheduling", "default-scheduler"), (failed.Reason, failed.Source.Component));
    }

    [Fact]
    public async Task An_oom_killed_container_has_the_limit_on_its_spec_and_exit_code_137()
    {
        _api.BreakPods("apps", new FakePodFault.OomKilled("64Mi"));
        ApplyDeployment();

        var pod = Assert.Single((await _client.CoreV1.ListNamespacedPodAsync("apps")).Items);
        Assert.Equal("64Mi", pod.Spec.Containers.Single().Resources.Limits["memory"].ToString());
        Assert.Equal((137, "OOMKilled"), (pod.Status.ContainerStatuses.Single().LastState.Terminated.ExitCode, pod.Status.ContainerStatuses.Single().LastState.Terminated.Reason));
    }

    [Fact]
    public async Task An_image_that_cannot_be_pulled_leaves_image_pull_back_off_and_the_pull_error_event()
    {
        _api.BreakPods("apps", new FakePodFault.ImagePullBackOff());
        ApplyDeployment(image: "example.invalid/web:9.9.9");

        var pod = Assert.Single((await _client.CoreV1.ListNamespacedPodAsync("apps")).Items);
        Assert.Equal("ImagePullBackOff", pod.Status.ContainerStatuses.Single().State.Waiting.Reason);
        var events = (await _client.CoreV1.ListNamespacedEventAsync("apps")).Items;
        Assert.Contains(events, e => e.Reason == "Failed" && e.Message.StartsWith("Failed to pull image \"example.invalid/web:9.9.9\": ", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Reason == "BackOff" && e.Message == "Back-off pulling image \"example.invalid/web:9.9.9\"");
    }
}
