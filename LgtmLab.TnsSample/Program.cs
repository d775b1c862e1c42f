var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
var app = builder.Build();
app.MapGet("/", () => "tns");
app.MapDefaultEndpoints();
app.Run();
