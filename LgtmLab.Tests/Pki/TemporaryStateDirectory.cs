namespace LgtmLab.Tests.Pki;

/// <summary>A lab state folder of its own for one test, deleted afterwards.</summary>
internal sealed class TemporaryStateDirectory : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"lgtmlab-pki-{Guid.NewGuid():N}");

    public string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        if (Directory.Exists(Path))
            Directory.Delete(Path, recursive: true);
    }
}
