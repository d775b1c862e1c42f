using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;

namespace LgtmLab.Tests.Local;

/// <summary>
/// An OTLP/HTTP (protobuf) receiver on a loopback port: keeps every span it is sent, and accepts logs and metrics.
/// </summary>
internal sealed class OtlpReceiver : IDisposable
{
    readonly HttpListener _listener = new();
    readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    readonly ConcurrentDictionary<string, int> _requestsBySignal = new();
    readonly ConcurrentQueue<string> _errors = new();

    public Uri Url { get; }

    OtlpReceiver(int port)
    {
        Url = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Url.ToString());
    }

    public static OtlpReceiver Start()
    {
        var receiver = new OtlpReceiver(FreePort.Next());
        receiver._listener.Start();
        _ = Task.Run(receiver.ServeAsync);
        return receiver;
    }

    public IReadOnlyList<ReceivedSpan> Spans => [.. _spans];

    /// <summary>Requests received per OTLP path (<c>/v1/traces</c>, <c>/v1/logs</c>, <c>/v1/metrics</c>), and decode errors.</summary>
    public string Summary =>
        string.Join(", ", _requestsBySignal.Select(s => $"{s.Key}: {s.Value}")) + (_errors.IsEmpty ? "" : $"; errors: {string.Join("; ", _errors)}");

    async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }

            try
            {
                var path = context.Request.Url!.AbsolutePath;
                _requestsBySignal.AddOrUpdate(path, 1, (_, n) => n + 1);
                var body = await ReadBodyAsync(context.Request);
                if (path == "/v1/traces")
                {
                    foreach (var span in OtlpTraceDecoder.Decode(body)) _spans.Enqueue(span);
                }
                // An empty Export*ServiceResponse is zero bytes of protobuf.
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
            }
            catch (Exception e) when (e is InvalidDataException or ArgumentOutOfRangeException or IndexOutOfRangeException or IOException)
            {
                _errors.Enqueue(e.Message);
                context.Response.StatusCode = 400;
            }
            context.Response.Close();
        }
    }

    static async Task<byte[]> ReadBodyAsync(HttpListenerRequest request)
    {
        using var buffer = new MemoryStream();
        var body = request.Headers["Content-Encoding"] == "gzip"
            ? new GZipStream(request.InputStream, CompressionMode.Decompress)
            : request.InputStream;
        await using (body) await body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    public void Dispose() => _listener.Close();
}
