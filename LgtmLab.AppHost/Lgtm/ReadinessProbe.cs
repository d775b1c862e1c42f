using System.Net;
using k8s;
using k8s.Autorest;
using LgtmLab.AppHost.Observability;
using LgtmLab.AppHost.Provisioning;

namespace LgtmLab.AppHost.Lgtm;

/// <summary>
/// Asks a component's own readiness endpoint through the Kubernetes API server's service proxy, so it works
/// from the host without port-forwards: healthy only on a 2xx answer.
/// </summary>
internal static class ReadinessProbe
{
    private const int MaxReasonLength = 200;

    public static async Task<LabProbeResult> CheckAsync(IKubernetes client, ReadinessEndpoint endpoint, CancellationToken cancellationToken)
    {
        var where = $"{endpoint.Service}:{endpoint.Port}{endpoint.Path} in namespace {endpoint.Namespace}";
        try
        {
            using var body = await client.CoreV1.ConnectGetNamespacedServiceProxyWithPathAsync(
                $"{endpoint.Service}:{endpoint.Port}", endpoint.Namespace, endpoint.Path.TrimStart('/'), cancellationToken: cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(body);
            var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            return LabProbeResult.Pass($"{where} answered: {Shorten(text)}");
        }
        catch (HttpOperationException e)
        {
            var status = e.Response?.StatusCode;
            var detail = Shorten(e.Response?.Content ?? e.Message);
            return LabProbeResult.Fail(status switch
            {
                HttpStatusCode.NotFound => $"{where}: not found ({detail}); the Service or its port is missing",
                HttpStatusCode.ServiceUnavailable => $"{where}: not ready (503: {detail})",
                { } code => $"{where}: not ready ({(int)code}: {detail})",
                null => $"{where}: no answer ({detail})",
            });
        }
        catch (HttpRequestException e)
        {
            return LabProbeResult.Fail($"{where}: the cluster's API server did not answer ({e.Message})");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return LabProbeResult.Fail($"{where}: timed out");
        }
    }

    private static string Shorten(string text)
    {
        var line = string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length <= MaxReasonLength ? line : line[..MaxReasonLength] + "...";
    }
}
