using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LgtmLab.Tests.Tools;

/// <summary>
/// A release-download server on 127.0.0.1: serves the files it is given by path, answers the error responses it is
/// told to (for good, or the next few times), and records every request with its headers.
/// </summary>
internal sealed class ArtifactServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, byte[]> _files = new();
    // Times: how many more requests are refused; null for every one.
    private readonly ConcurrentDictionary<string, (int? Times, int Status, (string Name, string Value)[] Headers)> _refusals = new();
    private readonly ConcurrentQueue<(string Path, IReadOnlyDictionary<string, string> Headers)> _requests = new();
    private WebApplication? _app;

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<string> Requests => [.. _requests.Select(r => r.Path)];

    /// <summary>The value of <paramref name="header"/> in the last request for <paramref name="path"/>; null when absent.</summary>
    public string? LastHeader(string path, string header) =>
        _requests.LastOrDefault(r => r.Path == path).Headers?.GetValueOrDefault(header);

    public static async Task<ArtifactServer> StartAsync()
    {
        var server = new ArtifactServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        server._app = builder.Build();
        server._app.Run(server.ServeAsync);
        await server._app.StartAsync();
        server.Url = new Uri(server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return server;
    }

    public void Serve(string path, byte[] content) => _files[path] = content;

    public void Serve(string path, string content) => Serve(path, System.Text.Encoding.UTF8.GetBytes(content));

    /// <summary>Answers <paramref name="path"/> with <paramref name="status"/> and these response headers.</summary>
    public void Refuse(string path, int status, params (string Name, string Value)[] headers) => _refusals[path] = (null, status, headers);

    /// <summary>The next <paramref name="times"/> requests for <paramref name="path"/> answer <paramref name="status"/> (a flaky upstream).</summary>
    public void FailNext(string path, int times, int status = 503) => _refusals[path] = (times, status, []);

    public async ValueTask DisposeAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    private async Task ServeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        _requests.Enqueue((path, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        if (_refusals.TryGetValue(path, out var refusal) && refusal.Times is null or > 0)
        {
            if (refusal.Times is { } times) _refusals[path] = refusal with { Times = times - 1 };
            context.Response.StatusCode = refusal.Status;
            foreach (var (name, value) in refusal.Headers) context.Response.Headers[name] = value;
            return;
        }
        if (!_files.TryGetValue(path, out var content))
        {
            context.Response.StatusCode = 404;
            return;
        }
        context.Response.ContentLength = content.Length;
        await context.Response.Body.WriteAsync(content);
    }
}
