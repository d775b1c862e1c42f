using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Models;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.Tests.Engine;
using LgtmLab.Tests.Fakes;

namespace LgtmLab.Tests.Diagnostics;

/// <summary>"Collect diagnostics" after a real engine run against the fake tools and API servers.</summary>
public sealed class DiagnosticsBundleContractTests : IAsyncLifetime
{
    private const string GrafanaPassword = "Gr4fana-admin-9f3c2e";
    private ContractLab _lab = null!;
    private LabController _controller = null!;

    public async Task InitializeAsync()
    {
        _lab = ContractLab.Create();
        _controller = LabController.FromConfiguration(_lab.Configuration,
            _lab.Options with { GrafanaAdminPassword = _ => ValueTask.FromResult<string?>(GrafanaPassword) });
        await _controller.RunAsync(_lab.Progress, Loggers.None, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        _controller.Dispose();
        await _lab.DisposeAsync();
    }

    private FakeToolbox Toolbox => _lab.Toolbox;

    [Fact]
    public async Task The_bundle_holds_kind_logs_pods_events_releases_state_linkerd_checks_and_the_log_of_every_cluster()
    {
        var logger = new ListLogger();
        var before = Toolbox.Invocations.Count;

        var bundle = await _controller.CollectDiagnosticsAsync(logger, CancellationToken.None);

        Assert.StartsWith(Path.Combine(_lab.StateDirectory, "diagnostics") + Path.DirectorySeparatorChar, bundle, StringComparison.Ordinal);
        Assert.True(File.Exists(bundle + ".zip"));
        Assert.Contains(logger.Lines, l => l.Contains(bundle, StringComparison.Ordinal) && l.Contains(bundle + ".zip", StringComparison.Ordinal));
        foreach (var cluster in new[] { "lgtm-central", "lgtm-remote" })
        {
            var dir = Path.Combine(bundle, "clusters", cluster);
            Assert.True(File.Exists(Path.Combine(dir, "kind-logs", "kind-version.txt")));
            Assert.True(File.Exists(Path.Combine(dir, "kind-logs", $"{cluster}-control-plane", "kubelet.log")));
            Assert.Contains("\"kind\":\"PodList\"", File.ReadAllText(Path.Combine(dir, "namespaces", "kube-system", "pods.json")), StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(dir, "namespaces", "default", "events.json")));
            Assert.Contains("\"name\":\"metallb\"", File.ReadAllText(Path.Combine(dir, "helm-releases.json")).Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.Contains($"\"{cluster}.cluster\"", File.ReadAllText(Path.Combine(dir, "lgtmlab-state.json")), StringComparison.Ordinal);
        }
        Assert.Contains("$ linkerd --context kind-lgtm-remote multicluster check --wait 30s",
            File.ReadAllText(Path.Combine(bundle, "clusters", "lgtm-remote", "linkerd-multicluster-check.txt")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(bundle, "clusters", "lgtm-remote", "linkerd-multicluster-gateways.txt")));
        Assert.False(File.Exists(Path.Combine(bundle, "clusters", "lgtm-central", "linkerd-multicluster-check.txt")));
        Assert.Contains("\"lgtm-central/metallb\"", File.ReadAllText(Path.Combine(bundle, "engine", "outcomes.json")), StringComparison.Ordinal);
        Assert.Contains("kind create cluster --name lgtm-central", File.ReadAllText(Path.Combine(bundle, "engine", "commands.log")), StringComparison.Ordinal);
        Assert.Contains("[lgtm-central] $ kind create cluster --name lgtm-central", File.ReadAllText(Path.Combine(bundle, "apphost.log")), StringComparison.Ordinal);
        var summary = File.ReadAllText(Path.Combine(bundle, "summary.txt"));
        Assert.DoesNotContain("FAILED", summary, StringComparison.Ordinal);
        Assert.Empty(Toolbox.RefusedByRealCli);
        Assert.DoesNotContain(Toolbox.Invocations.Skip(before), i => i.Mutating);
        using var zip = ZipFile.OpenRead(bundle + ".zip");
        Assert.Contains(zip.Entries, e => e.FullName.EndsWith("clusters/lgtm-remote/helm-releases.json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_grafana_password_bearer_tokens_and_private_keys_appear_nowhere_in_the_bundle_or_its_zip()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = key.ExportECPrivateKeyPem();
        var pemBody = pem.Split('\n')[1].Trim();
        var base64Pem = Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));
        const string bearer = "planted-bearer-5d1e7a9b2c";
        var jwt = "eyJhbGciOiJSUzI1NiIsImtpZCI6InBsYW50ZWQifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6cGxhbnRlZCJ9.c2lnbmF0dXJlLXBsYW50ZWQ";
        using var central = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Toolbox.KubeconfigPath, currentContext: "kind-lgtm-central"));
        await central.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "planted.1", NamespaceProperty = "default" },
            InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = "planted", NamespaceProperty = "default" },
            Reason = "Failed", Type = "Warning",
            Message = $"probe failed: GET /api/health Authorization: Bearer {bearer} login admin/{GrafanaPassword}\n{pem}",
        }, "default");
        await central.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = "planted", NamespaceProperty = "default",
                Annotations = new Dictionary<string, string>
                {
                    ["kubeconfig"] = $"users:\n- name: x\n  user:\n    token: {jwt}\n",
                    ["tls"] = base64Pem,
                    ["note"] = $"the admin password is {GrafanaPassword}",
                },
            },
            Spec = new V1PodSpec
            {
                Containers = [new V1Container { Name = "grafana", Image = "grafana/grafana", Env = [new V1EnvVar { Name = "GF_SECURITY_ADMIN_PASSWORD", Value = GrafanaPassword }] }],
            },
        }, "default");
        await central.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"planted\":" + System.Text.Json.JsonSerializer.Serialize(pem) + "}}", V1Patch.PatchType.MergePatch),
            "lgtmlab-state", "kube-system");
        // a tool's stderr reaches the log (and the bundle's apphost.log) as the tool printed it
        Toolbox.FailNext("^helm upgrade --install metallb .*kind-lgtm-remote", times: 1,
            stderr: $"Error: Kubernetes cluster unreachable: Get \"https://127.0.0.1:1/version\": Authorization: Bearer {bearer}: dial tcp 127.0.0.1:1: connect: connection refused");
        await _controller.RecreateClusterAsync("lgtm-remote", _lab.Progress, Loggers.None, CancellationToken.None);
        var clientKey = (string?)FakeKubeconfig.Load(Toolbox.KubeconfigPath)["users"]![0]!["user"]!["client-key-data"];

        var bundle = await _controller.CollectDiagnosticsAsync(new ListLogger(), CancellationToken.None);

        var texts = Directory.EnumerateFiles(bundle, "*", SearchOption.AllDirectories).Select(f => (f, File.ReadAllText(f))).ToList();
        using (var zip = ZipFile.OpenRead(bundle + ".zip"))
            foreach (var entry in zip.Entries.Where(e => e.Length > 0))
            {
                using var reader = new StreamReader(entry.Open());
                texts.Add(("zip:" + entry.FullName, await reader.ReadToEndAsync()));
            }
        Assert.True(texts.Any(t => t.Item2.Contains("planted.1", StringComparison.Ordinal)), string.Join("\n", texts.Select(t => t.Item1 + ": " + t.Item2[..Math.Min(300, t.Item2.Length)])));
        Assert.Contains(texts, t => t.Item2.Contains("Kubernetes cluster unreachable", StringComparison.Ordinal) && t.Item1.EndsWith("apphost.log", StringComparison.Ordinal));
        foreach (var secret in new[] { GrafanaPassword, bearer, jwt, pemBody, "BEGIN EC PRIVATE KEY", base64Pem[..40], clientKey![..40] })
            Assert.All(texts, t => Assert.False(t.Item2.Contains(secret, StringComparison.Ordinal), $"{secret[..12]}... is in {t.Item1}"));
    }

    [Fact]
    public async Task A_cluster_that_is_down_is_named_in_the_summary_and_the_rest_is_still_collected()
    {
        await Toolbox.Cluster("lgtm-central")!.Api!.DisposeAsync();

        var bundle = await _controller.CollectDiagnosticsAsync(new ListLogger(), CancellationToken.None);

        var summary = File.ReadAllLines(Path.Combine(bundle, "summary.txt"));
        Assert.Contains(summary, l => l.StartsWith("FAILED  clusters/lgtm-central/namespaces", StringComparison.Ordinal));
        Assert.Contains(summary, l => l.StartsWith("FAILED  clusters/lgtm-central/helm-releases.json", StringComparison.Ordinal));
        Assert.Contains(summary, l => l.StartsWith("ok      clusters/lgtm-central/kind-logs", StringComparison.Ordinal));
        Assert.DoesNotContain(summary, l => l.StartsWith("FAILED", StringComparison.Ordinal) && l.Contains("lgtm-remote/", StringComparison.Ordinal) && !l.Contains("linkerd", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(bundle, "clusters", "lgtm-remote", "helm-releases.json")));
        Assert.True(File.Exists(Path.Combine(bundle, "apphost.log")));
        Assert.True(File.Exists(bundle + ".zip"));
    }

    [Fact]
    public async Task A_failing_kind_export_logs_is_recorded_with_its_error()
    {
        Toolbox.Docker.DaemonRunning = false;

        var bundle = await _controller.CollectDiagnosticsAsync(new ListLogger(), CancellationToken.None);

        var summary = File.ReadAllText(Path.Combine(bundle, "summary.txt"));
        Assert.Contains("FAILED  clusters/lgtm-central/kind-logs: `kind export logs", summary, StringComparison.Ordinal);
        Assert.Contains("failed to list nodes", summary, StringComparison.Ordinal);
        Assert.Contains("ok      clusters/lgtm-central/helm-releases.json", summary, StringComparison.Ordinal);
    }
}
