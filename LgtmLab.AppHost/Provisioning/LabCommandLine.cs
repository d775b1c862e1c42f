using System.Reflection;
using LgtmLab.AppHost.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Provisioning;

/// <summary>
/// Lab commands that run instead of the AppHost: <c>--delete-lab</c> (every cluster, context and the state folder)
/// and <c>--delete-cluster NAME</c>. Program.cs calls <see cref="TryRunAsync"/> first and exits with its code.
/// </summary>
internal static class LabCommandLine
{
    public const string DeleteLab = "--delete-lab";
    public const string DeleteCluster = "--delete-cluster";

    /// <summary>Runs a lab command when <paramref name="args"/> holds one and returns the exit code; null otherwise.</summary>
    public static async Task<int?> TryRunAsync(string[] args, LabControllerOptions? options = null, TextWriter? output = null, CancellationToken cancellationToken = default)
    {
        var deleteLab = args.Contains(DeleteLab);
        var clusterIndex = Array.IndexOf(args, DeleteCluster);
        if (!deleteLab && clusterIndex < 0) return null;
        output ??= Console.Out;
        if (clusterIndex >= 0 && (clusterIndex + 1 >= args.Length || args[clusterIndex + 1].StartsWith('-')))
        {
            await output.WriteLineAsync($"{DeleteCluster} needs the cluster's name, e.g. {DeleteCluster} lgtm-remote").ConfigureAwait(false);
            return 2;
        }
        var rest = args.Where((a, i) => a != DeleteLab && i != clusterIndex && i != clusterIndex + 1).ToArray();

        using var loggers = LoggerFactory.Create(b => b.AddProvider(new TextWriterLoggerProvider(output)));
        var logger = loggers.CreateLogger("lab");
        try
        {
            using var controller = new LabController(LabConfiguration.Load(BuildConfiguration(rest)), options);
            if (deleteLab)
                await controller.DeleteLabAsync(logger, cancellationToken).ConfigureAwait(false);
            else
                await controller.DeleteClusterAsync(args[clusterIndex + 1], logger, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(deleteLab ? $"Lab '{controller.Topology.Name}' deleted." : $"Cluster '{args[clusterIndex + 1]}' deleted.").ConfigureAwait(false);
            return 0;
        }
        catch (LabConfigurationException e)
        {
            await output.WriteLineAsync(e.Message).ConfigureAwait(false);
            return 2;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await output.WriteLineAsync($"Failed: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>The same sources as the AppHost: appsettings(.Environment).json of the AppHost project, environment, command line.</summary>
    public static IConfiguration BuildConfiguration(string[] args)
    {
        var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production";
        var projectDirectory = typeof(LabCommandLine).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "apphostprojectpath")?.Value;
        var baseDirectory = projectDirectory is not null && Directory.Exists(projectDirectory) ? projectDirectory : AppContext.BaseDirectory;
        return new ConfigurationBuilder()
            .SetBasePath(baseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
    }

    private sealed class TextWriterLoggerProvider(TextWriter output) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new TextWriterLogger(output);
        public void Dispose() { }
    }

    private sealed class TextWriterLogger(TextWriter output) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            lock (output) output.WriteLine(formatter(state, exception));
        }
    }
}
