using System.Text.Json.Nodes;

namespace LgtmLab.Tests.Fakes.Kubernetes;

/// <summary>
/// What MetalLB does in a real lab: a LoadBalancer Service gets status.loadBalancer.ingress[{ip}] from the
/// address pool, after <see cref="FakeKubernetesApiOptions.LoadBalancerDelay"/>. The pool is the option's
/// list when set, otherwise the addresses of the stored metallb.io IPAddressPools; without a pool the
/// Service stays pending until one appears. A requested address (spec.loadBalancerIP or the
/// metallb.io/loadBalancerIPs annotation) is honoured when it is in the pool and free.
/// </summary>
internal sealed class LoadBalancers(FakeKubernetesApi api)
{
    public void OnWrite(ResourceType type, JsonObject obj)
    {
        if (type.Group == "metallb.io" && type.Plural == "ipaddresspools") Schedule();
        else if (type == ResourceTypes.Service && IsPending(obj)) Schedule();
    }

    /// <summary>Hand out addresses to every pending Service (called under the API lock).</summary>
    public void AssignPending()
    {
        var store = api.Store;
        var services = store.List(ResourceTypes.Service.Group, ResourceTypes.Service.Plural, null);
        var used = services.SelectMany(Addresses).ToHashSet();
        var pool = Pool();
        foreach (var service in services.Where(IsPending))
        {
            var wanted = Requested(service);
            var ip = wanted is not null ? (pool.Contains(wanted) && !used.Contains(wanted) ? wanted : null)
                : pool.FirstOrDefault(a => !used.Contains(a));
            if (ip is null) continue;
            used.Add(ip);
            var updated = (JsonObject)service.DeepClone();
            updated["status"] = new JsonObject
            {
                ["loadBalancer"] = new JsonObject
                {
                    ["ingress"] = new JsonArray(new JsonObject { ["ip"] = ip, ["ipMode"] = "VIP" }),
                },
            };
            store.Put(FakeKubernetesApi.KeyOf(ResourceTypes.Service, updated), updated);
        }
    }

    private void Schedule()
    {
        var delay = api.Options.LoadBalancerDelay;
        _ = Task.Run(async () =>
        {
            try { await Task.Delay(delay, api.Stopping); }
            catch (OperationCanceledException) { return; }
            lock (api.Gate)
            {
                if (!api.Stopping.IsCancellationRequested) AssignPending();
            }
        });
    }

    private static bool IsPending(JsonObject service) =>
        (string?)service["spec"]?["type"] == "LoadBalancer" && !Addresses(service).Any();

    private static IEnumerable<string> Addresses(JsonObject service) =>
        (service["status"]?["loadBalancer"]?["ingress"] as JsonArray ?? []).Select(i => (string?)i?["ip"]).OfType<string>();

    private static string? Requested(JsonObject service) =>
        (string?)service["spec"]?["loadBalancerIP"]
        ?? ((string?)service["metadata"]?["annotations"]?["metallb.io/loadBalancerIPs"]
            ?? (string?)service["metadata"]?["annotations"]?["metallb.universe.tf/loadBalancerIPs"])?.Split(',')[0].Trim();

    private IEnumerable<string> Pool()
    {
        var entries = api.Options.LoadBalancerAddresses
            ?? [.. api.Store.All.Where(kv => kv.Key.Group == "metallb.io" && kv.Key.Plural == "ipaddresspools")
                .OrderBy(kv => kv.Key.Name, StringComparer.Ordinal)
                .SelectMany(kv => (kv.Value["spec"]?["addresses"] as JsonArray ?? []).Select(a => (string?)a).OfType<string>())];
        return entries.SelectMany(Ipv4.Expand);
    }
}
