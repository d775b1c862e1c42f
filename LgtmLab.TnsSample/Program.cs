using LgtmLab.TnsSample.CommandLine;
using LgtmLab.TnsSample.Hosting;
using LgtmLab.TnsSample.Logging;

var (options, error) = TnsCommandLine.Parse(args);
if (options is null)
{
    await Console.Error.WriteLineAsync(error);
    await Console.Error.WriteLineAsync(TnsCommandLine.Usage);
    return 2;
}

try
{
    await TnsApplication.Build(options).RunAsync();
    return 0;
}
catch (Exception e) when (e is InvalidOperationException or IOException)
{
    // Bad configuration or a port in use: one logfmt line that names it, as TNS's "error starting server".
    await Console.Out.WriteLineAsync("level=error " + new LogfmtRecord([("msg", "error starting server"), ("err", e.Message)]));
    return 1;
}
