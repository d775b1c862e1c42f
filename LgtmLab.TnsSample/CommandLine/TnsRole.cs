namespace LgtmLab.TnsSample.CommandLine;

/// <summary>The three TNS programs, one binary.</summary>
internal enum TnsRole
{
    Db,
    App,
    Loadgen,
}
