var builder = DistributedApplication.CreateBuilder(args);

builder.AddTnsSample();

builder.Build().Run();
