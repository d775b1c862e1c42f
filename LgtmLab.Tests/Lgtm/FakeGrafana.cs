using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LgtmLab.Tests.Lgtm;

/// <summary>
/// Grafana's data source proxy on 127.0.0.1, as the smoke query meets it: basic auth as admin, then per data
/// source uid an answer shaped like its backend's (Prometheus query API, Loki labels, Tempo search), or the
/// failure a test sets for that uid (what Grafana returns when the backend is down: 502).
/// </summary>
internal sealed class FakeGrafana : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<string> _requests = [];

    private FakeGrafana(WebApplication app) => _app = app;

    public Dictionary<string, (int Status, string Body)> Failures { get; } = [];
    public IReadOnlyList<string> Requests { get { lock (_requests) return [.. _requests]; } }

    public static async Task<FakeGrafana> StartAsync(int port, string user, string password)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var grafana = new FakeGrafana(app);
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        app.MapGet("/api/datasources/proxy/uid/{uid}/{**path}", (HttpContext context, string uid, string path) =>
        {
            lock (grafana._requests) grafana._requests.Add($"{uid} {path}{context.Request.QueryString}");
            if (context.Request.Headers.Authorization != expected)
                return Results.Json(new { message = "invalid username or password" }, statusCode: 401);
            if (grafana.Failures.TryGetValue(uid, out var failure))
                return Results.Text(failure.Body, statusCode: failure.Status);
            return path switch
            {
                "api/v1/query" => Results.Text("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"tns/app"},"value":[1,"1"]},{"metric":{"job":"tns/db"},"value":[1,"1"]}]}}""", "application/json"),
                "loki/api/v1/labels" => Results.Text("""{"status":"success","data":["job","namespace","pod"]}""", "application/json"),
                "api/search" => Results.Text("""{"traces":[{"traceID":"4bf92f3577b34da6a3ce929d0e0e4736"}],"metrics":{}}""", "application/json"),
                _ => Results.NotFound(),
            };
        });
        await app.StartAsync();
        return grafana;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
