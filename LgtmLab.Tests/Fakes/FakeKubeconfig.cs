using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using LgtmLab.Tests.Fakes.Kubernetes;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// Reads and writes kubeconfig files the way kind and kubectl do (apiVersion v1, kind Config, named
/// clusters/contexts/users, current-context). The credentials are a real, throwaway CA and client
/// certificate so that any client can load them; the fake servers speak plain HTTP and ignore them.
/// </summary>
internal static class FakeKubeconfig
{
    private static readonly Lazy<(string Ca, string Cert, string Key)> Credentials = new(CreateCredentials);

    /// <summary>The kubeconfig a process would use: --kubeconfig, else the first $KUBECONFIG entry, else ~/.kube/config.</summary>
    public static string PathFor(FakeCall call, string? flag)
    {
        if (!string.IsNullOrEmpty(flag)) return call.ResolvePath(flag);
        if (call.KubeconfigVariable is { } variable)
        {
            var entries = variable.Split(':', StringSplitOptions.RemoveEmptyEntries);
            return entries.FirstOrDefault(File.Exists) ?? entries[0];
        }
        return Path.Combine(call.Home ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
    }

    public static JsonObject Load(string path)
    {
        var config = File.Exists(path) ? JsonYaml.Parse(File.ReadAllText(path)) as JsonObject : null;
        config ??= [];
        config["apiVersion"] ??= "v1";
        config["kind"] ??= "Config";
        foreach (var list in new[] { "clusters", "contexts", "users" }) config[list] ??= new JsonArray();
        config["preferences"] ??= new JsonObject();
        config["current-context"] ??= "";
        return config;
    }

    public static void Save(string path, JsonObject config)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".lock";
        File.WriteAllText(temp, Render(config));
        File.Move(temp, path, overwrite: true);
    }

    public static string Render(JsonObject config)
    {
        var ordered = new JsonObject
        {
            ["apiVersion"] = config["apiVersion"]?.DeepClone(),
            ["clusters"] = config["clusters"]?.DeepClone(),
            ["contexts"] = config["contexts"]?.DeepClone(),
            ["current-context"] = config["current-context"]?.DeepClone(),
            ["kind"] = config["kind"]?.DeepClone(),
            ["preferences"] = config["preferences"]?.DeepClone(),
            ["users"] = config["users"]?.DeepClone(),
        };
        return JsonYaml.ToYaml(ordered);
    }

    /// <summary>Adds or replaces the cluster, user and context called <paramref name="name"/>.</summary>
    public static void Upsert(JsonObject config, string name, string server, bool setCurrent)
    {
        var (ca, cert, key) = Credentials.Value;
        Replace(config, "clusters", name, new JsonObject
        {
            ["cluster"] = new JsonObject { ["certificate-authority-data"] = ca, ["server"] = server },
            ["name"] = name,
        });
        Replace(config, "contexts", name, new JsonObject
        {
            ["context"] = new JsonObject { ["cluster"] = name, ["user"] = name },
            ["name"] = name,
        });
        Replace(config, "users", name, new JsonObject
        {
            ["name"] = name,
            ["user"] = new JsonObject { ["client-certificate-data"] = cert, ["client-key-data"] = key },
        });
        if (setCurrent) config["current-context"] = name;
    }

    /// <summary>Removes the cluster, user and context kind made for a cluster; unsets current-context if it was it.</summary>
    public static void RemoveKindEntries(JsonObject config, string name)
    {
        Remove(config, "clusters", name);
        Remove(config, "contexts", name);
        Remove(config, "users", name);
        if ((string?)config["current-context"] == name) config["current-context"] = "";
    }

    public static bool Remove(JsonObject config, string list, string name)
    {
        var array = config[list] as JsonArray ?? [];
        var entry = array.FirstOrDefault(e => (string?)e?["name"] == name);
        if (entry is null) return false;
        array.Remove(entry);
        return true;
    }

    public static JsonObject? Entry(JsonObject config, string list, string name) =>
        (config[list] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(e => (string?)e["name"] == name);

    public static IEnumerable<string> Names(JsonObject config, string list) =>
        (config[list] as JsonArray ?? []).Select(e => (string?)e?["name"]).OfType<string>();

    private static void Replace(JsonObject config, string list, string name, JsonObject entry)
    {
        var array = config[list] as JsonArray ?? (JsonArray)(config[list] = new JsonArray());
        var existing = array.FirstOrDefault(e => (string?)e?["name"] == name);
        if (existing is not null) array[array.IndexOf(existing)] = entry;
        else array.Add(entry);
    }

    private static (string, string, string) CreateCredentials()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=kubernetes", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
        using var clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var clientRequest = new CertificateRequest("CN=kubernetes-admin, O=kubeadm:cluster-admins", clientKey, HashAlgorithmName.SHA256);
        using var client = clientRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), [1, 2, 3, 4]);
        static string Data(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));
        return (Data(ca.ExportCertificatePem()), Data(client.ExportCertificatePem()), Data(clientKey.ExportECPrivateKeyPem()));
    }
}
