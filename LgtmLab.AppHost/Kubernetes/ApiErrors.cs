using System.Net;
using k8s.Autorest;

namespace LgtmLab.AppHost.Kubernetes;

internal static class ApiErrors
{
    public static bool IsNotFound(this HttpOperationException e) => e.Response?.StatusCode == HttpStatusCode.NotFound;
    public static bool IsConflict(this HttpOperationException e) => e.Response?.StatusCode == HttpStatusCode.Conflict;
}
