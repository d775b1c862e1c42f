using Aspire.Hosting.Testing;

namespace LgtmLab.Tests.Local;

/// <summary>The app model the AppHost builds for the local TNS projects, inspected without starting anything.</summary>
public class TnsAppHostModelTests
{
    [Fact]
    public async Task Db_and_app_start_together_loadgen_waits_for_the_app_all_with_health_checks_and_their_TNS_command_lines()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.LgtmLab_AppHost>(["--Lab:Enabled=false"], cts.Token);
        var projects = builder.Resources.OfType<ProjectResource>().ToDictionary(r => r.Name);

        var db = projects[TnsProjectsBuilderExtensions.DbResourceName];
        var app = projects[TnsProjectsBuilderExtensions.AppResourceName];
        var loadgen = projects[TnsProjectsBuilderExtensions.LoadgenResourceName];

        Assert.Empty(db.Annotations.OfType<WaitAnnotation>());
        Assert.Empty(app.Annotations.OfType<WaitAnnotation>());
        Assert.Equal([app.Name], loadgen.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name));

        // TNS's docker-compose ports, so the README's http://localhost:8001 is the app.
        foreach (var (project, port) in new[] { (db, 8000), (app, 8001), (loadgen, 8002) })
        {
            Assert.Single(project.Annotations.OfType<HealthCheckAnnotation>());
            Assert.Contains(project.Annotations.OfType<EndpointAnnotation>(), e => e.Name == "http" && e.UriScheme == "http" && e.Port == port);
        }

        Assert.Equal(["db", "-log.level=debug"], await ArgumentsOf(db));
        Assert.Equal(["app", "-log.level=debug", "http://tns-db"], await ArgumentsOf(app));
        Assert.Equal(["loadgen", "-log.level=debug", "http://tns-app"], await ArgumentsOf(loadgen));
    }

    /// <summary>The command line the AppHost gives a resource, from its argument callbacks (plain strings here).</summary>
    private static async Task<string[]> ArgumentsOf(IResource resource)
    {
        var args = new List<object>();
        var context = new CommandLineArgsCallbackContext(args, resource, CancellationToken.None);
        foreach (var callback in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
            await callback.Callback(context);
        return [.. args.Select(a => Assert.IsType<string>(a))];
    }
}
