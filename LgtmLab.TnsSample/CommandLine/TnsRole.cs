namespace LgtmLab.TnsSample.CommandLine;

/// <summary>The three TNS programs, one binary.</summary>
public enum TnsRole
{
    Db,
    App,
    Loadgen,
}
