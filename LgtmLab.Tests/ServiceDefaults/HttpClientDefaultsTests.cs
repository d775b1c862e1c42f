using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LgtmLab.Tests.ServiceDefaults;

public sealed class HttpClientDefaultsTests
{
    [Fact]
    public async Task Clients_from_the_factory_retry_a_transient_failure_and_resolve_aspire_service_names()
    {
        var attempts = 0;
        await using var flaky = await StartServerAsync(context =>
        {
            context.Response.StatusCode = Interlocked.Increment(ref attempts) == 1 ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
            return Task.CompletedTask;
        });
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["services:flaky:http:0"] = flaky.Urls.Single();
        builder.AddServiceDefaults();
        using var host = builder.Build();
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient();

        var response = await client.GetAsync("http://flaky/");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, attempts);
    }

    private static async Task<WebApplication> StartServerAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        return app;
    }
}
