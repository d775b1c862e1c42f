namespace EngineBench;

/// <summary>How long one kind of fake command takes: its duration on a laptop and whether the bench scales it down.</summary>
internal sealed record FakeDuration(string Pattern, double RealSeconds, bool Scaled)
{
    public TimeSpan Bench => TimeSpan.FromSeconds(Scaled ? RealSeconds / FakeDurations.Scale : RealSeconds);
}

/// <summary>
/// What each command of the default lab takes on a laptop (16 GB, 8 cores, images in Docker's cache, charts and
/// images pulled over a home connection). Mutating commands are scaled down 100x; read-only ones keep their real
/// latency, so a warm re-run's wall time is what a laptop would see. The README's table is this one.
/// </summary>
internal static class FakeDurations
{
    public const double Scale = 100;

    /// <summary>MetalLB gives a LoadBalancer Service its address (2 s on a laptop).</summary>
    public static TimeSpan LoadBalancerDelay => TimeSpan.FromSeconds(2 / Scale);

    // The first matching rule wins; FakeToolbox.AddLatency lets the rule added last win, so they are added in reverse.
    public static IReadOnlyList<FakeDuration> All { get; } =
    [
        new("^kind create cluster ", 60, true),
        new("^kind load image-archive ", 10, true),
        new("^docker exec .* ip route replace ", 0.3, true),
        new("^helm upgrade --install metallb ", 30, true),
        new("^helm upgrade --install linkerd-crds ", 8, true),
        new("^helm upgrade --install linkerd-control-plane ", 60, true),
        new("^helm upgrade --install linkerd-viz ", 45, true),
        new("^helm upgrade --install linkerd-multicluster ", 30, true),
        new("^helm upgrade --install traefik ", 20, true),
        new("^helm upgrade --install loki ", 60, true),
        new("^helm upgrade --install tempo ", 40, true),
        new("^helm upgrade --install grafana ", 45, true),
        new("^helm upgrade --install prometheus ", 40, true),
        new("^helm upgrade --install alloy ", 30, true),
        // manifests: the namespaces, pools, Mimir (monolithic, lab-assets/manifests/mimir), the link, TNS
        new("^kubectl .*apply ", 2, true),
        new("^dotnet publish ", 45, true),
        new("^docker info", 0.15, false),
        new("^docker network inspect", 0.05, false),
        new("^docker inspect", 0.05, false),
        new("^docker exec .* ip route show", 0.1, false),
        new("^docker exec .* crictl images", 0.2, false),
        new("^kind get ", 0.15, false),
        new("^kind version", 0.02, false),
        new("^kubectl version", 0.05, false),
        new("^helm version", 0.05, false),
        new("^helm list", 0.3, false),
        new("^linkerd .*version", 0.05, false),
        new("^linkerd .*multicluster link-gen ", 1, false),
        new("^linkerd .*multicluster (check|gateways)", 1.5, false),
        new("^dotnet --version", 0.1, false),
    ];
}
