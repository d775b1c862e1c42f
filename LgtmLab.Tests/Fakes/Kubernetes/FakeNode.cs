namespace LgtmLab.Tests.Fakes.Kubernetes;

/// <summary>A node of a fake cluster, as kind would have created it.</summary>
internal sealed record FakeNode(string Name, string InternalIp, string PodCidr, string Role = "control-plane");
