namespace LgtmLab.AppHost.Pki;

/// <summary>
/// The lab's certificate files are missing, partial, corrupt or inconsistent. The message names the file
/// and the fix; nothing is regenerated behind the user's back when this is thrown.
/// </summary>
internal sealed class PkiStateException : Exception
{
    /// <summary>Creates the exception for the file that is wrong.</summary>
    public PkiStateException(string path, string message, Exception? innerException = null)
        : base(message, innerException) => Path = path;

    /// <summary>The file (or folder) the problem is about.</summary>
    public string Path { get; }
}
