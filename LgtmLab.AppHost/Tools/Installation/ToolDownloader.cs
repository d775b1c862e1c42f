using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Tools.Installation;

/// <summary>HTTP downloads for the installer: checksum files as text, artifacts streamed to disk and hashed on the way.</summary>
internal sealed class ToolDownloader(HttpClient http)
{
    private const double MiB = 1024 * 1024;

    public async Task<string> GetTextAsync(ToolArtifact artifact, Uri url, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(artifact, url, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>Saves <paramref name="url"/> to <paramref name="destination"/> and returns its SHA-256 (lowercase hex).</summary>
    public async Task<string> DownloadAsync(ToolArtifact artifact, Uri url, string destination, ILogger logger, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(artifact, url, cancellationToken);
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

    private async Task<HttpResponseMessage> SendAsync(ToolArtifact artifact, Uri url, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new ToolInstallationException(
                $"could not download {artifact.Tool} {artifact.Version} from {url}: {e.Message}. Check your network or proxy, " +
                $"or install {artifact.Tool} {artifact.Version} yourself and put it on PATH", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ToolInstallationException($"downloading {artifact.Tool} {artifact.Version} from {url} timed out; check your network and retry", e);
        }
        if (response.IsSuccessStatusCode) return response;
        var status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        response.Dispose();
        throw new ToolInstallationException(response.StatusCode == HttpStatusCode.NotFound
            ? $"{url} does not exist ({status}): is {artifact.Tool} {artifact.Version} a released version? Check tools.{artifact.Tool} in lab-assets/versions.yaml"
            : $"could not download {artifact.Tool} {artifact.Version} from {url}: {status}; retry later, or put {artifact.Tool} {artifact.Version} on PATH");
    }
}
