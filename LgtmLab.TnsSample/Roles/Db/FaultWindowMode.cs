namespace LgtmLab.TnsSample.Roles.Db;

/// <summary>When db's fault window is open (configuration <c>Tns:Db:FaultWindow</c>, env <c>Tns__Db__FaultWindow</c>).</summary>
internal enum FaultWindowMode
{
    /// <summary>TNS's schedule: the first 30 s of every 5-minute wall-clock window.</summary>
    Schedule,

    /// <summary>Always open: for tests and demos.</summary>
    Always,

    /// <summary>Never open.</summary>
    Never,
}
