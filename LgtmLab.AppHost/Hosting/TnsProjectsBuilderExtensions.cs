namespace Aspire.Hosting;

/// <summary>Adds Grafana's TNS demo (db, app, loadgen) to the app model as ordinary .NET project resources.</summary>
public static class TnsProjectsBuilderExtensions
{
    /// <summary>Resource name of the db role; the app reaches it as <c>http://tns-db</c> through service discovery.</summary>
    public const string DbResourceName = "tns-db";

    /// <summary>Resource name of the app role; the loadgen reaches it as <c>http://tns-app</c>.</summary>
    public const string AppResourceName = "tns-app";

    /// <summary>Resource name of the loadgen role.</summary>
    public const string LoadgenResourceName = "tns-loadgen";

    /// <summary>Host ports of db, app and loadgen: the ones TNS's docker-compose publishes (8000, 8001, 8002).</summary>
    public static readonly (int Db, int App, int Loadgen) HostPorts = (8000, 8001, 8002);

    // TNS's own Kubernetes manifests run every role at debug level, which logs one line per request.
    private const string LogLevelFlag = "-log.level=debug";

    /// <summary>
    /// Runs the three TNS roles from LgtmLab.TnsSample: <c>tns-db</c> and <c>tns-app</c> start together (the app
    /// reports healthy only once a db answers), then <c>tns-loadgen</c> waits for a healthy app. Each has an HTTP
    /// endpoint on its TNS port, a <c>/health</c> check, and sends OTLP to the Aspire dashboard. They do not depend on any cluster, so F5 on the AppHost debugs
    /// all three even where Docker is absent.
    /// </summary>
    /// <param name="builder">The distributed application builder.</param>
    /// <returns>The three resource builders, for further wiring.</returns>
    public static TnsProjects AddTnsSample(this IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        var db = builder.AddTnsRole(DbResourceName, "db", HostPorts.Db);

        // No WaitFor(db): starting both at once saves a whole project launch, and the app's /health already
        // includes "a db answers", so loadgen's WaitFor(app) still means the page works.
        var app = builder.AddTnsRole(AppResourceName, "app", HostPorts.App, downstream: db, waitForDownstream: false)
            .WithUrlForEndpoint("http", url => url.DisplayText = "Grafana News");

        var loadgen = builder.AddTnsRole(LoadgenResourceName, "loadgen", HostPorts.Loadgen, downstream: app);

        return new TnsProjects(db, app, loadgen);
    }

    private static IResourceBuilder<ProjectResource> AddTnsRole(
        this IDistributedApplicationBuilder builder, string name, string role, int port, IResourceBuilder<ProjectResource>? downstream = null,
        bool waitForDownstream = true)
    {
        // The project's launch profiles are for running one role on its own; Aspire would append their arguments
        // to ours, so the AppHost owns the whole command line, the port and the environment instead.
        var resource = builder.AddProject<Projects.LgtmLab_TnsSample>(name, options => options.ExcludeLaunchProfile = true)
            // Not proxied: until the role listens, its health check is refused at once instead of waiting out a
            // request timeout behind the proxy, so WaitFor releases the next role as soon as this one is up.
            .WithHttpEndpoint(port: port, name: "http", isProxied: false)
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
            .WithHttpHealthCheck("/health")
            .WithUrlForEndpoint("http", endpoint => new ResourceUrlAnnotation
            {
                Url = "/metrics",
                DisplayText = "metrics",
                DisplayLocation = UrlDisplayLocation.DetailsOnly,
            });

        if (downstream is null)
            return resource.WithArgs(role, LogLevelFlag);

        resource
            .WithArgs(role, LogLevelFlag, $"http://{downstream.Resource.Name}")
            .WithReference(downstream);
        return waitForDownstream ? resource.WaitFor(downstream) : resource;
    }
}
