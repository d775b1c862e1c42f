namespace LgtmLab.AppHost.Tools.Installation;

/// <summary>A pinned tool could not be found or installed; the message names the problem and the fix.</summary>
internal sealed class ToolInstallationException : Exception
{
    public ToolInstallationException(string message) : base(message) { }

    public ToolInstallationException(string message, Exception inner) : base(message, inner) { }
}
