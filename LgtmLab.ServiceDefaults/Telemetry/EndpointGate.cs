using System.Diagnostics;
using System.Net.Sockets;

namespace LgtmLab.ServiceDefaults.Telemetry;

/// <summary>
/// Whether an additional OTLP endpoint accepts connections. While it does not (F5 with the lab down), its
/// exporters get nothing to serialize: exporting to a refusing endpoint cost a quarter of the app's throughput in
/// bench/tns-otlp-endpoint-down.sh. Probed lazily: reading <see cref="IsOpen"/> starts a background TCP connect
/// when the last one is older than the interval, so an idle process probes nothing and a request never waits.
/// One gate serves every signal of a destination.
/// </summary>
internal sealed class EndpointGate
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(1);

    private readonly string _host;
    private readonly int _port;
    private readonly long _intervalTicks;
    private long _lastProbe;
    private int _probing;
    private volatile bool _open;

    public EndpointGate(Uri endpoint, TimeSpan? interval = null)
    {
        _host = endpoint.Host;
        _port = endpoint.Port;
        _intervalTicks = (long)((interval ?? DefaultInterval).TotalSeconds * Stopwatch.Frequency);
        _lastProbe = Stopwatch.GetTimestamp() - _intervalTicks;
    }

    /// <summary>True while the last probe could connect (false until a first probe has).</summary>
    public bool IsOpen
    {
        get
        {
            if (Stopwatch.GetTimestamp() - Volatile.Read(ref _lastProbe) >= _intervalTicks
                && Interlocked.CompareExchange(ref _probing, 1, 0) == 0)
                _ = ProbeAsync();
            return _open;
        }
    }

    private async Task ProbeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(ConnectTimeout);
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(_host, _port, timeout.Token).ConfigureAwait(false);
            _open = true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            _open = false;
        }
        finally
        {
            Volatile.Write(ref _lastProbe, Stopwatch.GetTimestamp());
            Volatile.Write(ref _probing, 0);
        }
    }
}
