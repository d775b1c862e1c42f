using System.Diagnostics;
using System.Net;
using LgtmLab.TnsSample.CommandLine;
using Microsoft.Extensions.Logging;

namespace LgtmLab.Tests.Tns;

public sealed class CommandLineTests
{
    [Fact]
    public void Flags_take_go_s_forms_and_urls_follow()
    {
        var (options, error) = TnsCommandLine.Parse(["app", "--server.http-listen-port=80", "-log.level", "debug", "http://db", "http://db2:8080"]);

        Assert.Null(error);
        Assert.Equal(new[] { "http://db", "http://db2:8080" }, options!.Peers.Select(u => u.OriginalString));
        Assert.Equal(80, options.ListenPort);
        Assert.Null(options.ListenAddress);
        Assert.Equal(LogLevel.Debug, options.LogLevel);
        Assert.Equal("app", options.ServiceName);
    }

    [Fact]
    public void Defaults_leave_the_address_to_aspnet_and_log_at_info()
    {
        var (options, _) = TnsCommandLine.Parse(["loadgen", "http://tns-app"]);

        Assert.Null(options!.ListenPort);
        Assert.Equal(LogLevel.Information, options.LogLevel);
        Assert.Equal("lb", options.ServiceName);
        Assert.Equal("db", TnsCommandLine.Parse(["db"]).Options!.ServiceName);
        Assert.Equal(IPAddress.Loopback, TnsCommandLine.Parse(["db", "-server.http-listen-address=127.0.0.1", "-server.http-listen-port=0"]).Options!.ListenAddress);
    }

    [Theory]
    [InlineData(new string[0], "no role given")]
    [InlineData(new[] { "web" }, "unknown role 'web'")]
    [InlineData(new[] { "db", "-server.http-listen-port=http" }, "invalid value \"http\" for flag -server.http-listen-port")]
    [InlineData(new[] { "db", "-log.level=verbose" }, "invalid value \"verbose\" for flag -log.level")]
    [InlineData(new[] { "db", "-server.grpc-listen-port=9095" }, "flag provided but not defined: -server.grpc-listen-port")]
    [InlineData(new[] { "app" }, "app needs at least one db URL")]
    [InlineData(new[] { "loadgen", "app:80" }, "'app:80' is not an http(s) URL")]
    [InlineData(new[] { "db", "-server.http-listen-address=127.0.0.1" }, "needs -server.http-listen-port")]
    public void Bad_arguments_name_the_problem(string[] args, string message)
    {
        var (options, error) = TnsCommandLine.Parse(args);

        Assert.Null(options);
        Assert.Contains(message, error);
    }

    [Fact]
    public async Task The_program_exits_2_with_usage_on_bad_arguments()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        info.ArgumentList.Add(TnsProcess.DllPath);
        info.ArgumentList.Add("app");
        using var process = Process.Start(info)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("app needs at least one db URL", stderr);
        Assert.Contains("usage: LgtmLab.TnsSample <role>", stderr);
    }
}
