using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Tools;

namespace LgtmLab.AppHost.Steps;

/// <summary>Turns lab-assets/kind/cluster.yaml into one cluster's kind config: name, CIDRs and host port mappings.</summary>
internal static class KindClusterConfigRenderer
{
    public static KindClusterConfig Render(string templateFile, ClusterSpec cluster)
    {
        var config = KindClusterConfig.Parse(File.ReadAllText(templateFile), templateFile);
        var controlPlanes = config.Nodes.Where(n => n.Role == "control-plane").ToList();
        if (controlPlanes.Count != 1)
            throw new InvalidDataException($"{templateFile} must have exactly one control-plane node (it has {controlPlanes.Count}): the lab's routes and port mappings go to it");

        config.Name = cluster.Name;
        config.Networking ??= new KindNetworking();
        config.Networking.PodSubnet = cluster.PodSubnet.ToString();
        config.Networking.ServiceSubnet = cluster.ServiceSubnet.ToString();
        var node = controlPlanes[0];
        node.ExtraPortMappings ??= [];
        foreach (var mapping in cluster.PortMappings)
            node.ExtraPortMappings.Add(new KindPortMapping
            {
                ContainerPort = mapping.ContainerPort,
                HostPort = mapping.HostPort,
                ListenAddress = "127.0.0.1",
                Protocol = "TCP",
            });
        return config;
    }
}
