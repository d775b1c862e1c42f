using k8s;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.Tests.Fakes;

namespace LgtmLab.Tests.Engine;

/// <summary>kind moves the kubeconfig's current-context to every cluster it creates; a run of the lab puts the user's back.</summary>
public sealed class KubectlContextContractTests : IAsyncLifetime
{
    private ContractLab _lab = null!;

    public Task InitializeAsync()
    {
        _lab = ContractLab.Create();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    private string Kubeconfig => _lab.Toolbox.KubeconfigPath;

    [Fact]
    public async Task The_users_current_context_is_current_again_after_a_cold_run()
    {
        var config = FakeKubeconfig.Load(Kubeconfig);
        FakeKubeconfig.Upsert(config, "work-cluster", "https://127.0.0.1:1", setCurrent: true);
        FakeKubeconfig.Save(Kubeconfig, config);

        AllSucceeded(await _lab.RunAsync());

        Assert.Equal("work-cluster", CurrentContext());
        await LabContextsAnswerAsync();
    }

    [Fact]
    public async Task A_kubeconfig_without_a_current_context_has_none_after_a_cold_run()
    {
        var config = FakeKubeconfig.Load(Kubeconfig);
        FakeKubeconfig.Upsert(config, "work-cluster", "https://127.0.0.1:1", setCurrent: false);
        FakeKubeconfig.Save(Kubeconfig, config);

        AllSucceeded(await _lab.RunAsync());

        Assert.Equal("", CurrentContext());
        await LabContextsAnswerAsync();
    }

    [Fact]
    public async Task No_kubeconfig_before_the_run_leaves_one_with_the_labs_contexts_and_none_current()
    {
        Assert.False(File.Exists(Kubeconfig));

        AllSucceeded(await _lab.RunAsync());

        Assert.Equal("", CurrentContext());
        await LabContextsAnswerAsync();
    }

    [Fact]
    public async Task A_warm_run_does_not_touch_the_kubeconfig()
    {
        AllSucceeded(await _lab.RunAsync());
        _lab.Toolbox.ClearJournal();

        AllSucceeded(await _lab.RunAsync());

        Assert.DoesNotContain(_lab.Toolbox.Invocations, i => i.CommandLine.StartsWith("kubectl config", StringComparison.Ordinal));
    }

    private string CurrentContext() => (string?)FakeKubeconfig.Load(Kubeconfig)["current-context"] ?? "";

    /// <summary>Each lab context is in the kubeconfig and reaches its cluster when named with --context.</summary>
    private async Task LabContextsAnswerAsync()
    {
        foreach (var cluster in new[] { "lgtm-central", "lgtm-remote" })
        {
            var result = await _lab.Toolbox.RunAsync("kubectl", "--context", $"kind-{cluster}", "delete", "configmap", "no-such-map", "--ignore-not-found");
            Assert.True(result.ExitCode == 0, result.Stderr);
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Kubeconfig, currentContext: $"kind-{cluster}"));
            Assert.NotEmpty((await client.CoreV1.ListNodeAsync()).Items);
        }
    }

    private static void AllSucceeded(IReadOnlyDictionary<string, StepOutcome> outcomes) =>
        Assert.True(outcomes.Values.All(o => o.Status == StepStatus.Succeeded),
            string.Join("\n", outcomes.Values.Where(o => o.Status != StepStatus.Succeeded).Select(o => $"{o.StepId}: {o.Status} {o.Message}")));
}
