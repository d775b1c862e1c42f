using System.Net.Sockets;

namespace LgtmLab.ServiceDefaults.Telemetry;

/// <summary>
/// Whether an additional OTLP endpoint accepts connections, probed in the background. While it does not (F5 with
/// the lab down), its exporters get nothing to serialize: exporting to a refusing endpoint cost a quarter of the
/// app's throughput in bench/tns-otlp-endpoint-down.sh. It opens within one probe interval of the endpoint coming up.
/// </summary>
internal sealed class EndpointGate : IDisposable
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(1);

    private readonly string _host;
    private readonly int _port;
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _open;

    public EndpointGate(Uri endpoint, TimeSpan? interval = null)
    {
        _host = endpoint.Host;
        _port = endpoint.Port;
        _ = ProbeForeverAsync(interval ?? DefaultInterval, _stop.Token);
    }

    /// <summary>True while the last probe could connect.</summary>
    public bool IsOpen => _open;

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private async Task ProbeForeverAsync(TimeSpan interval, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                _open = await CanConnectAsync(stop).ConfigureAwait(false);
                await Task.Delay(interval, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<bool> CanConnectAsync(CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(ConnectTimeout);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(_host, _port, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !stop.IsCancellationRequested)
        {
            return false;
        }
    }
}
