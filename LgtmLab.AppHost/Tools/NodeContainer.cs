namespace LgtmLab.AppHost.Tools;

/// <summary>A kind node container as <c>docker ps -a</c> lists it: its name and its state ("running", "exited", ...).</summary>
internal sealed record NodeContainer(string Name, string State)
{
    /// <summary>Running, or being brought back by Docker's restart policy: nothing for the lab to start.</summary>
    public bool IsUp => State is "running" or "restarting";
}
