using LgtmLab.AppHost.Pki;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LgtmLab.AppHost.Steps;

/// <summary>
/// A values file of a Helm release that the lab makes when it applies the release, passed after the lab-assets
/// files in this order. Its content is made right before <c>helm upgrade</c>, so it can carry what exists only by
/// then (the cluster's current Linkerd issuer) and survives a deleted state folder.
/// </summary>
/// <param name="Path">Where the file is written (a secret one: in that folder, under a new name each time).</param>
/// <param name="Content">Makes the YAML, logging to the step's log.</param>
internal sealed record GeneratedValues(string Path, Func<ILogger, string> Content)
{
    /// <summary>
    /// The file holds secrets: created 0600 in a 0700 folder, passed to Helm by path and deleted once Helm has run.
    /// Its content never enters the fingerprint, so <see cref="FingerprintInputs"/> must stand for it.
    /// </summary>
    public bool Secret { get; init; }

    /// <summary>What stands for the content in the release's fingerprint; null: the content itself.</summary>
    public Func<IEnumerable<(string Name, string Value)>>? FingerprintInputs { get; init; }

    /// <summary>This file's inputs to the release's fingerprint.</summary>
    public IEnumerable<(string Name, string Value)> Inputs() =>
        FingerprintInputs?.Invoke()
        ?? (Secret
            ? throw new InvalidOperationException($"the secret values file {System.IO.Path.GetFileName(Path)} needs FingerprintInputs: its content must not be hashed into the lab's state")
            : [("values", Content(NullLogger.Instance))]);

    /// <summary>Makes the content and writes it where Helm reads it; dispose the result once Helm has run.</summary>
    public GeneratedValuesFile Write(ILogger logger)
    {
        var content = Content(logger);
        if (Secret)
        {
            var directory = System.IO.Path.GetDirectoryName(Path)!;
            var secret = SecretValuesFile.Create(directory, System.IO.Path.GetFileNameWithoutExtension(Path), content);
            return new GeneratedValuesFile(secret.Path, secret);
        }
        if (!File.Exists(Path) || File.ReadAllText(Path) != content)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            File.WriteAllText(Path, content);
        }
        return new GeneratedValuesFile(Path, null);
    }
}

/// <summary>A generated values file as written for one <c>helm upgrade</c>; disposing deletes a secret one.</summary>
internal sealed class GeneratedValuesFile(string path, IDisposable? cleanup) : IDisposable
{
    /// <summary>The file to pass with <c>-f</c>.</summary>
    public string Path => path;

    /// <inheritdoc/>
    public void Dispose() => cleanup?.Dispose();
}
