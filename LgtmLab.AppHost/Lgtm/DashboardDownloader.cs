using System.Net;
using System.Security.Cryptography;
using System.Text;
using LgtmLab.AppHost.Configuration;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace LgtmLab.AppHost.Lgtm;

/// <summary>A dashboard's JSON as downloaded, or why it could not be had.</summary>
internal sealed record DashboardDownload(PinnedDashboard Dashboard, string? Json, string? Problem);

/// <summary>
/// Downloads the pinned dashboards once into <c>&lt;state&gt;/dashboards/</c> and reads them from there ever
/// after, so a later run needs no network. Transient failures (no connection, timeouts, 5xx, 429) are retried
/// with back-off; what still fails is returned as a problem, never thrown: a missing dashboard must not stop Grafana.
/// </summary>
internal sealed class DashboardDownloader(HttpClient http, string stateDirectory, Uri? baseUrl, RetryOptions retry)
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public string CacheDirectory => Path.Combine(stateDirectory, "dashboards");

    /// <summary>The cache file: named by folder, dashboard and a hash of its upstream URL, so a new revision is downloaded anew.</summary>
    public string CacheFile(PinnedDashboard dashboard)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dashboard.Source.DownloadUrl(dashboard.Name).ToString())))[..12];
        return Path.Combine(CacheDirectory, dashboard.Folder, $"{dashboard.Name}-{hash}.json");
    }

    /// <summary>The dashboard's JSON from the cache; null when it has not been downloaded yet. Never uses the network.</summary>
    private async Task<string?> CachedAsync(PinnedDashboard dashboard, CancellationToken cancellationToken)
    {
        var file = CacheFile(dashboard);
        return File.Exists(file) ? await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false) : null;
    }

    public async Task<DashboardDownload> GetAsync(PinnedDashboard dashboard, ILogger logger, CancellationToken cancellationToken)
    {
        if (await CachedAsync(dashboard, cancellationToken).ConfigureAwait(false) is { } cached)
            return new DashboardDownload(dashboard, cached, null);

        var file = CacheFile(dashboard);

        var url = dashboard.DownloadUrl(baseUrl);
        string json;
        try
        {
            json = await DownloadAsync(dashboard, url, logger, cancellationToken).ConfigureAwait(false);
        }
        catch (DashboardUnavailableException e)
        {
            return new DashboardDownload(dashboard, null, e.Message);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var partial = file + ".partial";
        await File.WriteAllTextAsync(partial, json, cancellationToken).ConfigureAwait(false);
        File.Move(partial, file, overwrite: true);
        logger.LogInformation("Downloaded dashboard {Dashboard} from {Url} into {File}", dashboard, url, file);
        return new DashboardDownload(dashboard, json, null);
    }

    private async Task<string> DownloadAsync(PinnedDashboard dashboard, Uri url, ILogger logger, CancellationToken cancellationToken)
    {
        var attempts = 0;
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TaskCanceledException>(_ => !cancellationToken.IsCancellationRequested)
                    .HandleResult(r => IsTransient(r.StatusCode)),
                MaxRetryAttempts = Math.Max(0, retry.MaxAttempts - 1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = retry.BaseDelay,
                MaxDelay = retry.MaxDelay,
                OnRetry = args =>
                {
                    var reason = args.Outcome.Exception?.Message ?? Status(args.Outcome.Result!);
                    args.Outcome.Result?.Dispose();
                    logger.LogWarning("Dashboard {Dashboard}: {Url} failed ({Reason}); retrying in {Delay:F1} s",
                        dashboard, url, reason, args.RetryDelay.TotalSeconds);
                    return default;
                },
            })
            .Build();

        HttpResponseMessage response;
        try
        {
            response = await pipeline.ExecuteAsync(async token =>
            {
                attempts++;
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
                timeout.CancelAfter(RequestTimeout);
                return await http.GetAsync(url, timeout.Token).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new DashboardUnavailableException(
                $"{dashboard}: could not reach {url.GetLeftPart(UriPartial.Authority)} ({e.Message}) in {attempts} attempt(s); " +
                "check the network or proxy, then use Retry on the Grafana resource (the download is cached afterwards)");
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
                return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new DashboardUnavailableException(response.StatusCode == HttpStatusCode.NotFound
                ? $"{dashboard}: {url} answered {Status(response)}; check that this id/revision or URL is published and fix it in lab-assets/{DashboardCatalog.FileName}"
                : $"{dashboard}: {url} answered {Status(response)} in {attempts} attempt(s); use Retry on the Grafana resource later");
        }
    }

    private static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    private static string Status(HttpResponseMessage response) => $"{(int)response.StatusCode} {response.ReasonPhrase}";

    private sealed class DashboardUnavailableException(string message) : Exception(message);
}
