using System.Globalization;
using System.Net;

namespace LgtmLab.TnsSample.CommandLine;

/// <summary>
/// Parses <c>&lt;role&gt; [flags] [urls...]</c> the way Go's flag package parses TNS's flags: <c>-flag=value</c>,
/// <c>--flag=value</c> or <c>-flag value</c>; flags end at the first argument that is not one (or at <c>--</c>).
/// </summary>
internal static class TnsCommandLine
{
    public const string Usage = """
        usage: LgtmLab.TnsSample <role> [flags] [urls...]
          db       [flags]                the in-memory links database
          app      [flags] <db-url>...    the "Grafana News" web app, e.g. app http://db
          loadgen  [flags] <app-url>...   drives traffic to the first app URL, e.g. loadgen http://app
        flags:
          -server.http-listen-port=N      listen on N (all interfaces); without it ASPNETCORE_URLS / HTTP_PORTS apply
          -server.http-listen-address=IP  the interface for -server.http-listen-port (default all)
          -log.level=debug|info|warn|error  only log messages with this level or above (default info)
        """;

    /// <summary>The options, or an error that names the problem (the caller prints it with <see cref="Usage"/>).</summary>
    public static (TnsOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
            return (null, "no role given: the first argument must be db, app or loadgen");
        if (!TryParseRole(args[0], out var role))
            return (null, $"unknown role '{args[0]}': the first argument must be db, app or loadgen");

        int? port = null;
        IPAddress? address = null;
        var level = LogLevel.Information;
        var i = 1;
        for (; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                i++;
                break;
            }
            if (arg.Length < 2 || arg[0] != '-')
                break;

            var flag = arg.TrimStart('-');
            string? value = null;
            var equals = flag.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                value = flag[(equals + 1)..];
                flag = flag[..equals];
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            if (value is null)
                return (null, $"flag needs an argument: -{flag}");

            switch (flag)
            {
                case "server.http-listen-port":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p > 65535)
                        return (null, $"invalid value \"{value}\" for flag -server.http-listen-port: give a port number 0-65535");
                    port = p;
                    break;
                case "server.http-listen-address":
                    if (value.Length > 0 && !IPAddress.TryParse(value, out address))
                        return (null, $"invalid value \"{value}\" for flag -server.http-listen-address: give an IP address such as 127.0.0.1");
                    break;
                case "log.level":
                    if (!TryParseLevel(value, out level))
                        return (null, $"invalid value \"{value}\" for flag -log.level: use debug, info, warn or error");
                    break;
                default:
                    return (null, $"flag provided but not defined: -{flag}");
            }
        }

        if (address is not null && port is null)
            return (null, "-server.http-listen-address needs -server.http-listen-port too");

        var peers = new List<Uri>();
        for (; i < args.Count; i++)
        {
            if (!Uri.TryCreate(args[i], UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                return (null, $"'{args[i]}' is not an http(s) URL: give downstream URLs such as http://db");
            peers.Add(uri);
        }

        var needed = role switch
        {
            TnsRole.App => "app needs at least one db URL, e.g. app http://db",
            TnsRole.Loadgen => "loadgen needs at least one app URL, e.g. loadgen http://app",
            _ => null,
        };
        if (needed is not null && peers.Count == 0)
            return (null, needed);

        return (new TnsOptions(role, port, address, level, peers), null);
    }

    private static bool TryParseRole(string text, out TnsRole role)
    {
        role = text switch
        {
            "db" => TnsRole.Db,
            "app" => TnsRole.App,
            "loadgen" => TnsRole.Loadgen,
            _ => (TnsRole)(-1),
        };
        return Enum.IsDefined(role);
    }

    private static bool TryParseLevel(string text, out LogLevel level)
    {
        level = text switch
        {
            "debug" => LogLevel.Debug,
            "info" => LogLevel.Information,
            "warn" => LogLevel.Warning,
            "error" => LogLevel.Error,
            _ => LogLevel.None,
        };
        return level != LogLevel.None;
    }
}
