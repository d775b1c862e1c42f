namespace Aspire.Hosting;

/// <summary>The three local TNS project resources, so later wiring (e.g. a cluster's OTLP endpoint) can reach them.</summary>
/// <param name="Db">The <c>tns-db</c> resource: the in-memory link store.</param>
/// <param name="App">The <c>tns-app</c> resource: the "Grafana News" web front end, calling the db.</param>
/// <param name="Loadgen">The <c>tns-loadgen</c> resource: drives about ten requests a second at the app.</param>
public sealed record TnsProjects(
    IResourceBuilder<ProjectResource> Db,
    IResourceBuilder<ProjectResource> App,
    IResourceBuilder<ProjectResource> Loadgen)
{
    /// <summary>All three, in dependency order.</summary>
    public IEnumerable<IResourceBuilder<ProjectResource>> All => [Db, App, Loadgen];
}
