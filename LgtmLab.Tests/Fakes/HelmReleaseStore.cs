using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using LgtmLab.Tests.Fakes.Kubernetes;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// Helm's storage driver, for real: each revision is a Secret "sh.helm.release.v1.NAME.vN" (type
/// helm.sh/release.v1, labels name/owner=helm/status/version) whose "release" key holds base64(gzip(JSON)).
/// Deleting the namespace or the cluster deletes the releases, as on a real cluster.
/// </summary>
internal static class HelmReleaseStore
{
    public static List<JsonObject> Revisions(FakeKubernetesApi api, string? ns, string? name)
    {
        var selector = "owner=helm" + (name is null ? "" : ",name=" + name);
        var path = ResourceTypes.Secret.CollectionPath(ns) + "?labelSelector=" + Uri.EscapeDataString(selector);
        var result = api.Send("GET", path, source: "helm");
        if (!result.IsSuccess) return [];
        return [.. result.Body["items"]!.AsArray().OfType<JsonObject>().Select(Decode).OfType<JsonObject>()
            .OrderBy(r => r["name"]!.ToString(), StringComparer.Ordinal).ThenBy(r => r["version"].AsLong())];
    }

    public static JsonObject? Latest(FakeKubernetesApi api, string ns, string name) => Revisions(api, ns, name).LastOrDefault();

    public static IReadOnlyList<FakeHelmRelease> Latest(FakeKubernetesApi api, string? ns) =>
        [.. Revisions(api, ns, null).GroupBy(r => ((string?)r["namespace"], (string?)r["name"])).Select(g => ToRecord(g.Last()))];

    public static ApiResult Save(FakeKubernetesApi api, JsonObject release)
    {
        var name = (string)release["name"]!;
        var ns = (string)release["namespace"]!;
        var revision = release["version"].AsLong() ?? 1;
        var secret = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"sh.helm.release.v1.{name}.v{revision}",
                ["namespace"] = ns,
                ["labels"] = new JsonObject
                {
                    ["modifiedAt"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                    ["name"] = name, ["owner"] = "helm", ["status"] = (string?)release["info"]?["status"],
                    ["version"] = revision.ToString(CultureInfo.InvariantCulture),
                },
            },
            ["type"] = "helm.sh/release.v1",
            ["data"] = new JsonObject { ["release"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(Encode(release))) },
        };
        return api.Send("PATCH", $"{ResourceTypes.Secret.ObjectPath(ns, $"sh.helm.release.v1.{name}.v{revision}")}?fieldManager=helm&force=true",
            JsonYaml.ToJson(secret), ObjectPatches.ApplyPatch, "helm");
    }

    public static void DeleteRevision(FakeKubernetesApi api, string ns, string name, long revision) =>
        api.Send("DELETE", ResourceTypes.Secret.ObjectPath(ns, $"sh.helm.release.v1.{name}.v{revision}"), source: "helm");

    public static FakeHelmRelease ToRecord(JsonObject release) => new(
        (string?)release["name"] ?? "", (string?)release["namespace"] ?? "", (int)(release["version"].AsLong() ?? 0),
        (string?)release["info"]?["status"] ?? "", (string?)release["chart"]?["metadata"]?["name"] ?? "",
        (string?)release["chart"]?["metadata"]?["version"] ?? "", (string?)release["chart"]?["metadata"]?["appVersion"] ?? "",
        (string?)release["lgtmlab"]?["repo"], (string?)release["lgtmlab"]?["valuesSha256"] ?? "", release["config"]?.DeepClone(),
        DateTimeOffset.Parse((string?)release["info"]?["last_deployed"] ?? "2000-01-01T00:00:00Z", CultureInfo.InvariantCulture),
        (string?)release["info"]?["description"] ?? "");

    private static string Encode(JsonObject release)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest)) gzip.Write(Encoding.UTF8.GetBytes(JsonYaml.ToJson(release)));
        return Convert.ToBase64String(buffer.ToArray());
    }

    private static JsonObject? Decode(JsonObject secret)
    {
        try
        {
            var outer = (string?)secret["data"]?["release"];
            if (outer is null) return null;
            var inner = Convert.FromBase64String(Encoding.ASCII.GetString(Convert.FromBase64String(outer)));
            using var gzip = new GZipStream(new MemoryStream(inner), CompressionMode.Decompress);
            using var reader = new StreamReader(gzip, Encoding.UTF8);
            return JsonNode.Parse(reader.ReadToEnd()) as JsonObject;
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
