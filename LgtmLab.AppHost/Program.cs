using LgtmLab.AppHost.Provisioning;

// `dotnet run --project LgtmLab.AppHost -- --delete-lab` (or `--delete-cluster NAME`) cleans up and exits.
if (await LabCommandLine.TryRunAsync(args) is { } exitCode)
    return exitCode;

var builder = DistributedApplication.CreateBuilder(args);

// The lab: kind clusters on Docker. Lab-wide settings, remotes and component switches come from the Lab section.
var lab = builder.AddLab("lgtm");

// Central runs the LGTM stack: Traefik, Mimir, Loki, Tempo, Grafana (and its own Prometheus and Alloy).
var central = lab.AddCentral().WithLgtmStack();

// Each remote is a tenant: linked to central by Linkerd multicluster, its agents ship through the link; TNS runs in it.
var remotes = lab.AddRemotes();
foreach (var remote in remotes)
    remote.LinkTo(central).WithTns();

// TNS also runs locally (F5): telemetry to the Aspire dashboard and to the first remote's Alloy.
builder.AddTnsSample().WithLabTelemetry(remotes[0]);

await builder.Build().RunAsync();
return 0;
