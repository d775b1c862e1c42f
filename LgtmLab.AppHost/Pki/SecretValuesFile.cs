namespace LgtmLab.AppHost.Pki;

/// <summary>
/// A Helm values file that holds secrets (keys): created 0600 in a 0700 folder, passed to Helm by path with
/// <c>-f</c> so no secret appears in a command line, and deleted when disposed.
/// </summary>
internal sealed class SecretValuesFile : IDisposable
{
    private SecretValuesFile(string path) => Path = path;

    /// <summary>The file to pass to <c>helm upgrade --install -f</c>.</summary>
    public string Path { get; }

    /// <summary>Writes <paramref name="yaml"/> to a new file named after <paramref name="purpose"/> in <paramref name="directory"/>.</summary>
    public static SecretValuesFile Create(string directory, string purpose, string yaml)
    {
        PrivateFiles.EnsureDirectory(directory, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var path = System.IO.Path.Combine(directory, $"{purpose}-{Guid.NewGuid():N}.yaml");
        PrivateFiles.WriteNew(path, yaml, PrivateFiles.OwnerOnlyFile);
        return new SecretValuesFile(path);
    }

    /// <summary>Deletes the file.</summary>
    public void Dispose() => File.Delete(Path);

    /// <inheritdoc/>
    public override string ToString() => Path;
}
