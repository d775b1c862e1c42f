namespace LgtmLab.AppHost.Hosting;

/// <summary>States of lab resources beyond Aspire's <c>KnownResourceStates</c>.</summary>
public static class LabResourceStates
{
    /// <summary>The cluster was deleted from the dashboard; Recreate (or the next AppHost start) creates it again.</summary>
    public const string Deleted = "Deleted";
}
