using System.Text.Json;
using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;

namespace LgtmLab.AppHost.Tools.Installation;

/// <summary>Asks an installed tool for its version, the way each project documents it.</summary>
internal static partial class ToolVersionProbe
{
    public static IReadOnlyList<string> Arguments(string tool) => tool switch
    {
        "kind" => ["version"],
        "kubectl" => ["version", "--client", "-o", "json"],
        "helm" => ["version", "--template", "{{.Version}}"],
        "linkerd" => ["version", "--client", "--short"],
        _ => throw new ToolInstallationException($"no version command is known for {tool}"),
    };

    /// <summary>
    /// The version in a tool's answer: "kind v0.32.0 go1.24.5 linux/amd64" -> v0.32.0, kubectl's
    /// clientVersion.gitVersion, helm's and linkerd's bare version. Null when the output is not recognised.
    /// </summary>
    public static string? Parse(string tool, string stdout)
    {
        var text = stdout.Trim();
        switch (tool)
        {
            case "kind":
                var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return words is ["kind", var version, ..] ? version : null;
            case "kubectl":
                try
                {
                    using var json = JsonDocument.Parse(text);
                    return json.RootElement.TryGetProperty("clientVersion", out var client) && client.TryGetProperty("gitVersion", out var git)
                        ? git.GetString() : null;
                }
                catch (JsonException) { return null; }
            default:
                var line = text.Split('\n')[0].Trim();
                return VersionPattern().IsMatch(line) ? line : null;
        }
    }

    /// <summary>Runs the tool at <paramref name="path"/>; null when it fails, hangs or answers something unrecognised.</summary>
    public static async Task<string?> DetectAsync(string tool, string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            var result = await ExecuteAsync(tool, path, limit.Token);
            return result.ExitCode == 0 ? Parse(tool, result.StandardOutput) : null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    // A file that was just written (a download, a test's script) cannot be executed while any process forked in
    // the meantime still holds an inherited write handle to it: Linux answers ETXTBSY until that child execs.
    private const int TextFileBusy = 26;

    private static async Task<BufferedCommandResult> ExecuteAsync(string tool, string path, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await Cli.Wrap(path)
                    .WithArguments(Arguments(tool))
                    .WithValidation(CommandResultValidation.None)
                    .ExecuteBufferedAsync(cancellationToken);
            }
            catch (System.ComponentModel.Win32Exception e) when (IsTextFileBusy(e) && attempt < 10)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt), cancellationToken);
            }
        }
    }

    // CliWrap wraps the error of the failed start in a Win32Exception of its own.
    private static bool IsTextFileBusy(System.ComponentModel.Win32Exception e) =>
        e.NativeErrorCode == TextFileBusy || e.InnerException is System.ComponentModel.Win32Exception { NativeErrorCode: TextFileBusy };

    /// <summary>"v4.1.4", "1.2.3-rc.1", "edge-26.8.3", "stable-2.14.10".</summary>
    [GeneratedRegex(@"^(v?\d+\.\d+\.\d+[-+.\w]*|(edge|stable|enterprise)-[\w.-]+)$")]
    private static partial Regex VersionPattern();
}
