namespace LgtmLab.Tests.Fakes;

public sealed class FakeKubectlTests : IAsyncLifetime
{
    private FakeToolbox _toolbox = null!;

    public async Task InitializeAsync()
    {
        _toolbox = FakeToolbox.Create();
        Assert.Equal(0, (await _toolbox.RunAsync("kind", "create", "cluster", "--name", "lgtm-remote")).ExitCode);
    }

    public async Task DisposeAsync() => await _toolbox.DisposeAsync();

    [Fact]
    public async Task Server_side_apply_from_stdin_stores_objects_the_api_then_serves()
    {
        const string manifest = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: tns
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: lgtmlab-fingerprints
              namespace: tns
            data:
              tns: abc123
            """;

        var first = await _toolbox.RunAsync("kubectl", ["--context", "kind-lgtm-remote", "apply", "--server-side", "--field-manager", "lgtmlab", "-f", "-"], manifest, CancellationToken.None);

        Assert.Equal("namespace/tns serverside-applied\nconfigmap/lgtmlab-fingerprints serverside-applied\n", first.Stdout);
        var api = _toolbox.Cluster("lgtm-remote")!.Api!;
        Assert.Equal("abc123", (string?)api.Get("v1", "ConfigMap", "tns", "lgtmlab-fingerprints")?["data"]?["tns"]);
        var writes = api.MutatingRequests.Where(r => r.Source == "kubectl").ToList();
        Assert.Equal(2, writes.Count);
        Assert.All(writes, w => Assert.Equal("PATCH", w.Method));
        Assert.Contains("fieldManager=lgtmlab", writes[1].Query, StringComparison.Ordinal);
    }
}
