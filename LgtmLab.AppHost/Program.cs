var builder = DistributedApplication.CreateBuilder(args);

builder.AddTnsSample();
builder.AddLab(builder.Configuration);

builder.Build().Run();
