namespace LgtmLab.AppHost.Tools;

/// <summary>A container <c>docker start</c> could not start, with what the daemon said.</summary>
internal sealed record ContainerStartFailure(string Container, string Reason);
