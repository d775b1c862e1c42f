using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace LgtmLab.Tests.Fakes.Kubernetes;

/// <summary>
/// The API server going away with its node container and coming back on the same host port: kind publishes the API
/// server on a fixed port it picked at creation (kind v0.32.0 pkg/cluster/internal/providers/docker/provision.go
/// generatePortMappings: PortOrGetFreePort, then --publish=127.0.0.1:PORT:6443), so a kubeconfig stays valid across a
/// restart. While down nothing listens: clients get connection refused; the stored objects (etcd on the node's disk) stay.
/// </summary>
internal sealed partial class FakeKubernetesApi
{
    private bool _down;

    internal async Task StopServingAsync()
    {
        WebApplication? serving;
        lock (_gate)
        {
            if (_down || _app is null) return;
            _down = true;
            serving = _app;
            _app = null;
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await serving.StopAsync(timeout.Token);
        await serving.DisposeAsync();
    }

    internal async Task ServeAgainAsync()
    {
        lock (_gate) if (!_down) return;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, Url.Port));
        var restarted = builder.Build();
        restarted.Run(HandleHttpAsync);
        await restarted.StartAsync();
        lock (_gate)
        {
            _app = restarted;
            _down = false;
        }
    }
}
