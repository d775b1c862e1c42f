var builder = DistributedApplication.CreateBuilder(args);
builder.AddProject<Projects.LgtmLab_TnsSample>("tns-db");
builder.Build().Run();
