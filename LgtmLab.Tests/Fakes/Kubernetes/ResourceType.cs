namespace LgtmLab.Tests.Fakes.Kubernetes;

/// <summary>A kind the fake API server serves: built in, or defined by a stored CustomResourceDefinition.</summary>
internal sealed record ResourceType(
    string Group, string Version, string Kind, string Plural, bool Namespaced, params string[] ShortNames)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string Singular => Kind.ToLowerInvariant();

    /// <summary>How kubectl names the type in its output: "configmap", "deployment.apps", "ipaddresspool.metallb.io".</summary>
    public string KubectlName => Group.Length == 0 ? Singular : $"{Singular}.{Group}";

    public bool Matches(string name) =>
        name == Plural || name == Singular || ShortNames.Contains(name)
        || name == $"{Plural}.{Group}" || name == $"{Singular}.{Group}"
        || name == $"{Plural}.{Version}.{Group}";

    /// <summary>The REST collection path, in a namespace or across all of them (namespace null).</summary>
    public string CollectionPath(string? ns)
    {
        var root = Group.Length == 0 ? "/api/v1" : $"/apis/{Group}/{Version}";
        return Namespaced && ns is not null ? $"{root}/namespaces/{ns}/{Plural}" : $"{root}/{Plural}";
    }

    public string ObjectPath(string? ns, string name) => $"{CollectionPath(ns)}/{name}";
}
