namespace LgtmLab.AppHost.Hosting;

/// <summary>Names of the dashboard commands on lab resources (for <c>ResourceCommandService.ExecuteCommandAsync</c>).</summary>
public static class LabCommands
{
    /// <summary>Runs the failed or blocked steps of a cluster or component again, and everything downstream.</summary>
    public const string Retry = "lab-retry";

    /// <summary>Deletes one kind cluster and everything on it.</summary>
    public const string DeleteCluster = "lab-delete-cluster";

    /// <summary>Deletes one kind cluster and creates it again with everything on it.</summary>
    public const string RecreateCluster = "lab-recreate-cluster";

    /// <summary>Deletes every cluster of the lab and its state folder.</summary>
    public const string DeleteLab = "lab-delete-lab";

    /// <summary>Writes a diagnostics bundle (folder and zip, secrets redacted) under the lab's state folder.</summary>
    public const string CollectDiagnostics = "lab-collect-diagnostics";
}
