using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Kubernetes;

/// <summary>What <see cref="NamespacedObjects{T}.CreateOrReplaceAsync"/> did to an object.</summary>
internal enum ObjectChange
{
    /// <summary>It already held what it should.</summary>
    None,
    /// <summary>It was missing and has been created.</summary>
    Created,
    /// <summary>It held something else and has been replaced.</summary>
    Replaced,
}

/// <summary>
/// Objects of one kind that the lab owns in one namespace, kept as the lab wants them through the Kubernetes API
/// (never a command line or a file, so a Secret stays out of both): whether each holds what it should, and
/// create-or-replace. A replace carries the resource version it read, so a concurrent change fails instead of being lost.
/// </summary>
internal sealed class NamespacedObjects<T>(
    string kind,
    string @namespace,
    Func<string, CancellationToken, Task<T>> read,
    Func<T, CancellationToken, Task<T>> create,
    Func<T, CancellationToken, Task<T>> replace,
    Func<T, T, bool> holds)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>True when the object named like <paramref name="wanted"/> exists and holds what it holds.</summary>
    public async Task<bool> HoldAsync(T wanted, CancellationToken cancellationToken) =>
        await ReadAsync(wanted.Metadata.Name, cancellationToken).ConfigureAwait(false) is { } current && holds(current, wanted);

    /// <summary>Creates <paramref name="wanted"/>, or replaces the object of its name when that holds something else.</summary>
    public async Task<ObjectChange> CreateOrReplaceAsync(T wanted, ILogger logger, CancellationToken cancellationToken)
    {
        var name = wanted.Metadata.Name;
        var current = await ReadAsync(name, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            await create(wanted, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Created {Kind} {Namespace}/{Name}", kind, @namespace, name);
            return ObjectChange.Created;
        }
        if (holds(current, wanted)) return ObjectChange.None;
        wanted.Metadata.ResourceVersion = current.Metadata.ResourceVersion;
        await replace(wanted, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Updated {Kind} {Namespace}/{Name}", kind, @namespace, name);
        return ObjectChange.Replaced;
    }

    private async Task<T?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await read(name, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            return null;
        }
    }
}

/// <summary>The kinds the lab's steps write whole: ConfigMaps (same data) and Secrets (same type and keys).</summary>
internal static class NamespacedObjects
{
    public static NamespacedObjects<V1ConfigMap> ConfigMaps(IKubernetes client, string @namespace) => new("ConfigMap", @namespace,
        (name, token) => client.CoreV1.ReadNamespacedConfigMapAsync(name, @namespace, cancellationToken: token),
        (map, token) => client.CoreV1.CreateNamespacedConfigMapAsync(map, @namespace, cancellationToken: token),
        (map, token) => client.CoreV1.ReplaceNamespacedConfigMapAsync(map, map.Metadata.Name, @namespace, cancellationToken: token),
        (current, wanted) => current.Data is { } data && data.Count == wanted.Data.Count
            && wanted.Data.All(w => data.TryGetValue(w.Key, out var have) && have == w.Value));

    /// <summary>A Secret holds what it should when its type matches and it has every wanted key with the wanted bytes.</summary>
    public static NamespacedObjects<V1Secret> Secrets(IKubernetes client, string @namespace) => new("Secret", @namespace,
        (name, token) => client.CoreV1.ReadNamespacedSecretAsync(name, @namespace, cancellationToken: token),
        (secret, token) => client.CoreV1.CreateNamespacedSecretAsync(secret, @namespace, cancellationToken: token),
        (secret, token) => client.CoreV1.ReplaceNamespacedSecretAsync(secret, secret.Metadata.Name, @namespace, cancellationToken: token),
        (current, wanted) => current.Type == wanted.Type && current.Data is { } data
            && wanted.Data.All(w => data.TryGetValue(w.Key, out var have) && have.AsSpan().SequenceEqual(w.Value)));
}
