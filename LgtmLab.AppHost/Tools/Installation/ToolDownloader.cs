using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Tools.Installation;

/// <summary>HTTP downloads for the installer: checksum files as text, artifacts streamed to disk and hashed on the way.</summary>
internal sealed class ToolDownloader(HttpClient http)
{
    private const double MiB = 1024 * 1024;

    public async Task<string> GetTextAsync(ToolArtifact artifact, Uri url, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(artifact, url, releaseApi: false, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>A release from GitHub's REST API (docs.github.com/rest/releases/releases, "get a release by tag name").</summary>
    public async Task<string> GetReleaseAsync(ToolArtifact artifact, Uri url, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(artifact, url, releaseApi: true, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>Saves <paramref name="url"/> to <paramref name="destination"/> and returns its SHA-256 (lowercase hex).</summary>
    public async Task<string> DownloadAsync(ToolArtifact artifact, Uri url, string destination, ILogger logger, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(artifact, url, releaseApi: false, cancellationToken);
        var total = response.Content.Headers.ContentLength;
        logger.LogInformation("Downloading {Tool} {Version} from {Url}{Size}", artifact.Tool, artifact.Version, url,
            total is { } t ? $" ({t / MiB:0.0} MiB)" : "");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var source = await response.Content.ReadAsStreamAsync(cancellationToken))
        await using (var target = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            var buffer = new byte[81920];
            long done = 0;
            var nextReport = ReportStep(total);
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                done += read;
                if (done >= nextReport)
                {
                    logger.LogInformation("{Tool} {Version}: {Done:0.0} MiB of {Total} downloaded", artifact.Tool, artifact.Version, done / MiB,
                        total is { } size ? $"{size / MiB:0.0} MiB" : "unknown");
                    nextReport += ReportStep(total);
                }
            }
            logger.LogInformation("{Tool} {Version}: downloaded {Bytes} bytes", artifact.Tool, artifact.Version, done);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Progress every quarter of a known size, every 8 MiB otherwise.</summary>
    private static long ReportStep(long? total) => total is > 0 ? Math.Max(1, total.Value / 4) : 8 * 1024 * 1024;

    private async Task<HttpResponseMessage> SendAsync(ToolArtifact artifact, Uri url, bool releaseApi, CancellationToken cancellationToken)
    {
        var what = releaseApi
            ? $"read the SHA-256 of {artifact.Tool} {artifact.Version} from GitHub's release API {url}"
            : $"download {artifact.Tool} {artifact.Version} from {url}";
        var otherwise = releaseApi
            ? ReleaseAssetDigest.Alternatives(artifact)
            : $"install {artifact.Tool} {artifact.Version} yourself and put it on PATH";
        HttpResponseMessage response;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            // GitHub's REST API refuses requests without a User-Agent; the version header pins the response format.
            if (http.DefaultRequestHeaders.UserAgent.Count == 0) request.Headers.UserAgent.Add(new ProductInfoHeaderValue("LgtmLab", "1.0"));
            if (releaseApi)
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
                request.Headers.Add("X-GitHub-Api-Version", "2022-11-28");
            }
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new ToolInstallationException($"could not {what}: {e.Message}. Check your network or proxy (HTTPS_PROXY), or {otherwise}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ToolInstallationException($"could not {what}: it timed out; check your network and retry, or {otherwise}", e);
        }
        if (response.IsSuccessStatusCode) return response;
        var status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        var rateLimitReset = RateLimitReset(response);
        response.Dispose();
        if (rateLimitReset is { } reset)
            throw new ToolInstallationException($"GitHub's API rate limit for this address is used up ({url}: {status}" +
                (reset == DateTimeOffset.MinValue ? "" : $"; it resets at {reset:yyyy-MM-dd HH:mm} UTC") + $"): retry after that, or {otherwise}");
        throw new ToolInstallationException(response.StatusCode == HttpStatusCode.NotFound
            ? $"{url} does not exist ({status}): is {artifact.Tool} {artifact.Version} a released version? Check tools.{artifact.Tool} in lab-assets/versions.yaml"
            : $"could not {what}: {status}; retry later, or {otherwise}");
    }

    /// <summary>
    /// When GitHub refused the request because the rate limit is used up (403 or 429 with x-ratelimit-remaining: 0,
    /// docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api): the reset time in UTC, MinValue when
    /// not given. Null for any other failure.
    /// </summary>
    private static DateTimeOffset? RateLimitReset(HttpResponseMessage response)
    {
        if (response.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests)
            || !response.Headers.TryGetValues("x-ratelimit-remaining", out var remaining) || remaining.FirstOrDefault() != "0")
            return null;
        return response.Headers.TryGetValues("x-ratelimit-reset", out var reset)
            && long.TryParse(reset.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds) : DateTimeOffset.MinValue;
    }
}
