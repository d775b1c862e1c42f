namespace LgtmLab.Tests.Fakes;

/// <summary>What the real tools print on the failures tests inject most (for <see cref="FakeToolbox.FailNext"/>).</summary>
internal static class FakeToolErrors
{
    public const string DockerDaemonDown =
        "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?";

    public static string KubectlConnectionRefused(string hostPort = "127.0.0.1:6443") =>
        $"The connection to the server {hostPort} was refused - did you specify the right host or port?";

    /// <summary>The MetalLB webhook is not serving yet (the classic transient failure right after the chart installs).</summary>
    public const string MetallbWebhookNotReady =
        "Error from server (InternalError): error when creating \"pool.yaml\": Internal error occurred: failed calling webhook " +
        "\"ipaddresspoolvalidationwebhook.metallb.io\": failed to call webhook: Post " +
        "\"https://metallb-webhook-service.metallb-system.svc:443/validate-metallb-io-v1beta1-ipaddresspool?timeout=10s\": " +
        "dial tcp 10.96.118.40:443: connect: connection refused";

    /// <summary>
    /// The daemon's answer to `docker start` of a kind node whose published host port another process took meanwhile
    /// (moby v28.2.2 daemon/start_linux.go errSetupNetworking, libnetwork/endpoint.go, libnetwork/portallocator/portallocator.go;
    /// client/request.go prefixes "Error response from daemon").
    /// </summary>
    public static string HostPortAllocated(string container, string endpointId, int port) =>
        $"Error response from daemon: failed to set up container networking: driver failed programming external connectivity on endpoint {container} ({endpointId}): Bind for 127.0.0.1:{port} failed: port is already allocated";

    public const string HelmAnotherOperationInProgress =
        "Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress";

    public static string HelmClusterUnreachable(string hostPort = "127.0.0.1:6443") =>
        $"Error: INSTALLATION FAILED: Kubernetes cluster unreachable: Get \"https://{hostPort}/version\": dial tcp {hostPort}: connect: connection refused";

    public const string HelmTimedOut = "Error: UPGRADE FAILED: context deadline exceeded";

    public static string HelmRepoUnreachable(string repo) =>
        $"Error: looks like \"{repo}\" is not a valid chart repository or cannot be reached: Get \"{repo.TrimEnd('/')}/index.yaml\": dial tcp: lookup {new Uri(repo).Host}: i/o timeout";

    public const string KindNodeImagePullFailed =
        "ERROR: failed to create cluster: failed to pull image \"kindest/node:v1.36.1\": command \"docker pull kindest/node:v1.36.1\" failed with error: exit status 1";
}
