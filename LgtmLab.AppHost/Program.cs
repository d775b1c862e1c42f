using LgtmLab.AppHost.Provisioning;

// `dotnet run --project LgtmLab.AppHost -- --delete-lab` (or `--delete-cluster NAME`) cleans up and exits.
if (await LabCommandLine.TryRunAsync(args) is { } exitCode)
    return exitCode;

var builder = DistributedApplication.CreateBuilder(args);

var tns = builder.AddTnsSample();
var lab = builder.AddLab(builder.Configuration);
tns.WithLabTelemetry(lab);

await builder.Build().RunAsync();
return 0;
