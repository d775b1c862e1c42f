namespace LgtmLab.Tests.Fakes.Kubernetes;

/// <summary>A parsed REST path: /api/v1/namespaces/{ns}/{plural}/{name}/{subresource} and the /apis/{group} forms.</summary>
internal sealed record ApiPath(string Group, string Version, string? Namespace, string Plural, string? Name, string? Subresource)
{
    public static ApiPath? Parse(string path)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        string group, version;
        string[] rest;
        if (segments.Length >= 3 && segments[0] == "api") { group = ""; version = segments[1]; rest = segments[2..]; }
        else if (segments.Length >= 4 && segments[0] == "apis") { group = segments[1]; version = segments[2]; rest = segments[3..]; }
        else return null;

        var namespacedPath = rest[0] == "namespaces" && rest.Length >= 3 && !(rest.Length == 3 && rest[2] is "status" or "finalize");
        if (namespacedPath)
            return new ApiPath(group, version, rest[1], rest[2], rest.ElementAtOrDefault(3), rest.ElementAtOrDefault(4));
        return new ApiPath(group, version, null, rest[0], rest.ElementAtOrDefault(1), rest.ElementAtOrDefault(2));
    }
}
