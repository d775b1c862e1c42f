using LgtmLab.Tests.Infrastructure;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// `kubectl config use-context` and `config unset current-context` (how the lab puts the user's context back after kind
/// moved it) answered by the fake and by real kubectl v1.35.2 on copies of the same kubeconfig: same exit code, stdout,
/// stderr and resulting current-context.
/// </summary>
public sealed class KubectlConfigMatchesRealKubectlTests : IAsyncLifetime
{
    private FakeToolbox _toolbox = null!;

    public Task InitializeAsync()
    {
        _toolbox = FakeToolbox.Create();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _toolbox.DisposeAsync();

    public static TheoryData<string[]> Commands() => new()
    {
        { ["config", "use-context", "work-cluster"] },
        { ["config", "use", "work-cluster"] },
        { ["config", "use-context", "no-such-context"] },
        { ["config", "use-context", ""] },
        { ["config", "unset", "current-context"] },
    };

    [RequiresRealToolTheory("kubectl")]
    [MemberData(nameof(Commands))]
    public async Task The_fake_answers_as_the_real_kubectl_and_leaves_the_same_current_context(string[] argv)
    {
        var realConfig = Kubeconfig("real");
        var real = await RealToolProcess.RunAsync("kubectl", [.. argv, "--kubeconfig", realConfig], Environment());
        var fakeConfig = Kubeconfig("fake");
        var fake = await _toolbox.RunAsync("kubectl", [.. argv, "--kubeconfig", fakeConfig]);

        Assert.Equal((real.ExitCode, real.Stdout, real.Stderr), (fake.ExitCode, fake.Stdout, fake.Stderr));
        Assert.Equal(CurrentContext(realConfig), CurrentContext(fakeConfig));
    }

    [RequiresRealToolFact("kubectl")]
    public async Task Unsetting_in_a_kubeconfig_that_does_not_exist_creates_none_as_the_real_kubectl()
    {
        string[] argv = ["config", "unset", "current-context", "--kubeconfig"];
        var realConfig = Path.Combine(_toolbox.StateDirectory, "absent-real");
        var fakeConfig = Path.Combine(_toolbox.StateDirectory, "absent-fake");

        var real = await RealToolProcess.RunAsync("kubectl", [.. argv, realConfig], Environment());
        var fake = await _toolbox.RunAsync("kubectl", [.. argv, fakeConfig]);

        Assert.Equal((real.ExitCode, real.Stdout, real.Stderr), (fake.ExitCode, fake.Stdout, fake.Stderr));
        Assert.False(File.Exists(realConfig));
        Assert.False(File.Exists(fakeConfig));
    }

    /// <summary>A kubeconfig with the user's context and a lab context, the lab's current (as kind leaves it).</summary>
    private string Kubeconfig(string name)
    {
        var path = Path.Combine(_toolbox.StateDirectory, name, "config");
        var config = FakeKubeconfig.Load(path);
        FakeKubeconfig.Upsert(config, "work-cluster", "https://127.0.0.1:1", setCurrent: false);
        FakeKubeconfig.Upsert(config, "kind-lgtm-central", "https://127.0.0.1:2", setCurrent: true);
        FakeKubeconfig.Save(path, config);
        return path;
    }

    private Dictionary<string, string?> Environment()
    {
        var home = Path.Combine(_toolbox.StateDirectory, "real-kubectl-home");
        Directory.CreateDirectory(home);
        return new() { ["HOME"] = home, ["KUBECONFIG"] = Path.Combine(home, "unused") };
    }

    private static string CurrentContext(string path) => (string?)FakeKubeconfig.Load(path)["current-context"] ?? "";
}
