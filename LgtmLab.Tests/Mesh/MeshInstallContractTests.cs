using System.Text.RegularExpressions;
using LgtmLab.AppHost.Mesh;
using LgtmLab.AppHost.Pki;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.Tests.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace LgtmLab.Tests.Mesh;

/// <summary>Linkerd's releases on every cluster, with the PKI's identity, against the fake tools and the real engine.</summary>
public sealed class MeshInstallContractTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Repo = "https://helm.linkerd.io/edge";
    private const string Version = "2026.8.3";
    private MeshLab _lab = null!;

    public Task InitializeAsync()
    {
        _lab = MeshLab.Create();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    private string Asset(string relative) => Path.Combine(_lab.Lab.AssetsDirectory, relative);

    private static string Helm(string release, string ns, string cluster, string values, string timeout = "5m") =>
        $"helm upgrade --install {release} {release} --repo {Repo} --version {Version} --namespace {ns} --create-namespace --kube-context kind-{cluster} {values} --wait --timeout {timeout}";

    [Fact]
    public async Task A_cold_run_installs_the_four_releases_per_cluster_in_order_with_exactly_these_values()
    {
        MeshLab.AllSucceeded(await _lab.RunAsync());

        var mutating = _lab.Toolbox.Mutating.Select(i => i.CommandLine).Where(c => c.Contains("linkerd", StringComparison.Ordinal) || c.Contains(" -f -", StringComparison.Ordinal)).ToList();
        var identity = new Regex(@" -f (?<path>\S+/tmp/linkerd-identity-(?<cluster>lgtm-[a-z]+)-[0-9a-f]{32}\.yaml) --wait");
        string Normalized(string command) => identity.Replace(command, m => $" -f <identity of {m.Groups["cluster"].Value}> --wait");
        var expected = new List<string>();
        foreach (var cluster in new[] { "lgtm-central", "lgtm-remote" })
        {
            expected.Add(Helm("linkerd-crds", "linkerd", cluster, $"-f {Asset("helm/linkerd-crds.yaml")}"));
            expected.Add(Helm("linkerd-control-plane", "linkerd", cluster, $"-f {Asset("helm/linkerd-control-plane.yaml")} -f <identity of {cluster}>", "10m"));
            expected.Add(Helm("linkerd-viz", "linkerd-viz", cluster, $"-f {Asset("helm/linkerd-viz.yaml")}"));
        }
        expected.Add(Helm("linkerd-multicluster", "linkerd-multicluster", "lgtm-central", $"-f {Asset("helm/linkerd-multicluster.yaml")}"));
        expected.Add(Helm("linkerd-multicluster", "linkerd-multicluster", "lgtm-remote",
            $"-f {Asset("helm/linkerd-multicluster.yaml")} -f {Path.Combine(_lab.StateDirectory, "clusters/lgtm-remote/helm/linkerd-multicluster-controllers.yaml")}"));
        expected.Add("kubectl --context kind-lgtm-remote apply --server-side --field-manager lgtmlab -f -");
        Assert.Equal(expected.Order(), mutating.Select(Normalized).Order());

        foreach (var cluster in new[] { "lgtm-central", "lgtm-remote" })
        {
            int At(string release) => mutating.FindIndex(c => c.StartsWith($"helm upgrade --install {release} ", StringComparison.Ordinal) && c.Contains($"kind-{cluster} ", StringComparison.Ordinal));
            Assert.True(At("linkerd-crds") < At("linkerd-control-plane"));
            Assert.True(At("linkerd-control-plane") < At("linkerd-viz"));
            Assert.True(At("linkerd-control-plane") < At("linkerd-multicluster"));
            Assert.True(At("linkerd-multicluster") < mutating.Count - 1, "the link is applied after both multicluster releases");
            var metallbPool = _lab.Toolbox.Mutating.ToList().FindIndex(i => i.CommandLine.Contains($"kind-{cluster} apply", StringComparison.Ordinal) && i.CommandLine.Contains("metallb-pool", StringComparison.Ordinal));
            var multicluster = _lab.Toolbox.Mutating.ToList().FindIndex(i => i.CommandLine.StartsWith("helm upgrade --install linkerd-multicluster ", StringComparison.Ordinal) && i.CommandLine.Contains($"kind-{cluster} ", StringComparison.Ordinal));
            Assert.True(metallbPool < multicluster, "the gateway's LoadBalancer needs MetalLB's pool first");
        }
        Assert.Equal("kubectl --context kind-lgtm-remote apply --server-side --field-manager lgtmlab -f -", mutating[^1]);

        var controllers = _lab.Remote.Releases.Single(r => r.Name == "linkerd-multicluster").Values!["controllers"]!.AsArray();
        Assert.Equal("lgtm-central", (string?)Assert.Single(controllers)!["link"]!["ref"]!["name"]);
        Assert.Null(_lab.Central.Releases.Single(r => r.Name == "linkerd-multicluster").Values!["controllers"]);
    }

    [Fact]
    public async Task The_identity_reaches_helm_by_a_values_file_that_is_deleted_after_and_no_pem_or_key_is_in_argv_or_logs()
    {
        MeshLab.AllSucceeded(await _lab.RunAsync());

        var pki = new LinkerdPki(_lab.StateDirectory);
        foreach (var cluster in new[] { _lab.Central, _lab.Remote })
        {
            var identity = pki.EnsureIdentity(cluster.Name, NullLogger.Instance);
            var values = cluster.Releases.Single(r => r.Name == "linkerd-control-plane").Values!;
            Assert.Equal(identity.TrustAnchorPem.TrimEnd(), ((string?)values["identityTrustAnchorsPEM"])?.TrimEnd());
            Assert.Equal(identity.IssuerCertificatePem.TrimEnd(), ((string?)values["identity"]!["issuer"]!["tls"]!["crtPEM"])?.TrimEnd());
            Assert.Equal(identity.IssuerKeyPem.TrimEnd(), ((string?)values["identity"]!["issuer"]!["tls"]!["keyPEM"])?.TrimEnd());

            var install = _lab.Toolbox.Invocations.Single(i => i.CommandLine.StartsWith("helm upgrade --install linkerd-control-plane ", StringComparison.Ordinal)
                && i.CommandLine.Contains($"kind-{cluster.Name} ", StringComparison.Ordinal));
            var file = install.Args[install.Args.ToList().LastIndexOf("-f") + 1];
            Assert.StartsWith(Path.Combine(_lab.StateDirectory, "tmp", $"linkerd-identity-{cluster.Name}-"), file);
            Assert.False(File.Exists(file), $"{file} is still there after helm ran");

            var secrets = new[] { identity.IssuerKeyPem, KeyBody(identity.IssuerKeyPem), identity.TrustAnchorPem.Split('\n')[1] };
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(_lab.Toolbox.Invocations, i => i.CommandLine.Contains(secret, StringComparison.Ordinal));
                Assert.DoesNotContain(_lab.LogLines, l => l.Contains(secret, StringComparison.Ordinal));
            }
        }
        Assert.Empty(Directory.GetFiles(Path.Combine(_lab.StateDirectory, "tmp")));
        Assert.DoesNotContain(_lab.Toolbox.Invocations, i => i.CommandLine.Contains("--set", StringComparison.Ordinal));
        Assert.DoesNotContain(_lab.LogLines, l => l.Contains("-----BEGIN", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_warm_run_mutates_nothing_and_the_mesh_issues_few_commands()
    {
        MeshLab.AllSucceeded(await _lab.RunAsync());
        var cold = _lab.MeshCommands;
        _lab.Toolbox.ClearJournal();

        var outcomes = await _lab.RunAsync();

        MeshLab.AllSucceeded(outcomes);
        Assert.Empty(_lab.Toolbox.Mutating);
        Assert.All(outcomes.Values, o => Assert.Equal("Up to date", o.Message));
        var warm = _lab.MeshCommands;
        output.WriteLine($"mesh steps, two clusters: cold run {cold.Count} commands ({cold.Count(IsMutating)} mutating), warm run {warm.Count} commands ({warm.Count(IsMutating)} mutating)");
        foreach (var command in warm) output.WriteLine("  warm: " + command);
        Assert.DoesNotContain(warm, IsMutating);
        // helm list per release and per cluster, plus the link's docker inspect: nothing proportional to the lab's objects.
        Assert.InRange(warm.Count, 8, 12);
    }

    private static bool IsMutating(string command) =>
        command.StartsWith("helm upgrade", StringComparison.Ordinal) || command.Contains(" apply ", StringComparison.Ordinal)
        || command.StartsWith("helm uninstall", StringComparison.Ordinal) || command.StartsWith("helm rollback", StringComparison.Ordinal);

    [Fact]
    public async Task Rotating_an_issuer_makes_the_next_run_upgrade_that_clusters_control_plane_only()
    {
        MeshLab.AllSucceeded(await _lab.RunAsync());
        var before = new LinkerdPki(_lab.StateDirectory).EnsureIdentity("lgtm-remote", NullLogger.Instance);
        new LinkerdPki(_lab.StateDirectory).RotateIssuers(["lgtm-remote"], NullLogger.Instance);
        _lab.Toolbox.ClearJournal();

        var outcomes = await _lab.RunAsync();

        MeshLab.AllSucceeded(outcomes);
        var upgrade = Assert.Single(_lab.Toolbox.Mutating);
        Assert.StartsWith("helm upgrade --install linkerd-control-plane linkerd-control-plane ", upgrade.CommandLine);
        Assert.Contains("--kube-context kind-lgtm-remote ", upgrade.CommandLine);
        var after = new LinkerdPki(_lab.StateDirectory).EnsureIdentity("lgtm-remote", NullLogger.Instance);
        Assert.Equal(before.TrustAnchorFingerprint, after.TrustAnchorFingerprint);
        Assert.NotEqual(before.Issuer.Fingerprint, after.Issuer.Fingerprint);
        Assert.Equal(after.IssuerCertificatePem.TrimEnd(),
            ((string?)_lab.Remote.Releases.Single(r => r.Name == "linkerd-control-plane").Values!["identity"]!["issuer"]!["tls"]!["crtPEM"])?.TrimEnd());
    }

    [Fact]
    public async Task The_rotate_command_only_rotates_the_pki_and_the_engine_then_upgrades_that_control_plane_and_records_it()
    {
        MeshLab.AllSucceeded(await _lab.RunAsync());
        var before = new LinkerdPki(_lab.StateDirectory).GetIssuerStatus("lgtm-central")!;
        _lab.Toolbox.ClearJournal();
        var log = new ListLogger();
        var controlPlane = StepIds.Release("lgtm-central", "linkerd-control-plane");

        using (var controller = _lab.Controller())
        {
            var rotate = controller.Resources.Single(r => r.Name == "lgtm-central-linkerd").Actions.Single(a => a.Name == IssuerRotation.CommandName);
            Assert.True(rotate.Mutates);
            Assert.NotNull(rotate.ConfirmationMessage);
            Assert.Equal([controlPlane], rotate.ThenRunSteps);
            var recordedBefore = RecordedFingerprint(_lab.Central, controlPlane);
            Assert.Equal(controller.Plan.Graph[controlPlane].Fingerprint, recordedBefore);

            var message = await rotate.Run(log, CancellationToken.None);

            var after = new LinkerdPki(_lab.StateDirectory).GetIssuerStatus("lgtm-central")!;
            Assert.NotEqual(before.Fingerprint, after.Fingerprint);
            Assert.Contains(after.Fingerprint, message);
            Assert.Empty(_lab.Toolbox.Mutating);
            Assert.NotEqual(recordedBefore, controller.Plan.Graph[controlPlane].Fingerprint);

            var progress = new RecordingProgress();
            await controller.RunStepsAsync(rotate.ThenRunSteps, progress, _lab.LoggerFor, CancellationToken.None);

            var upgrade = Assert.Single(_lab.Toolbox.Mutating);
            Assert.StartsWith("helm upgrade --install linkerd-control-plane linkerd-control-plane ", upgrade.CommandLine);
            Assert.Contains("--kube-context kind-lgtm-central ", upgrade.CommandLine);
            Assert.Equal([controlPlane], controller.LastRun!.Outcomes.Values.Where(o => o.Applied).Select(o => o.StepId));
            Assert.Equal(StepStatus.Succeeded, progress.Last(controlPlane).Status);
            Assert.Contains(progress.Reports, r => r.StepId == controlPlane && r.Status == StepStatus.Running && r.Message == "Applying");
            Assert.Equal(controller.Plan.Graph[controlPlane].Fingerprint, RecordedFingerprint(_lab.Central, controlPlane));
            Assert.Equal(new LinkerdPki(_lab.StateDirectory).EnsureIdentity("lgtm-central", NullLogger.Instance).IssuerCertificatePem.TrimEnd(),
                ((string?)_lab.Central.Releases.Single(r => r.Name == "linkerd-control-plane").Values!["identity"]!["issuer"]!["tls"]!["crtPEM"])?.TrimEnd());
        }
        Assert.Contains(log.Lines, l => l.StartsWith("Rotated the Linkerd issuer of lgtm-central", StringComparison.Ordinal));
        Assert.DoesNotContain(_lab.LogLines.Concat(log.Lines), l => l.Contains("PRIVATE KEY", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(Path.Combine(_lab.StateDirectory, "tmp")));

        _lab.Toolbox.ClearJournal();
        MeshLab.AllSucceeded(await _lab.RunAsync());
        Assert.Empty(_lab.Toolbox.Mutating);
    }

    private static string? RecordedFingerprint(Fakes.FakeCluster cluster, string stepId) =>
        (string?)cluster.Api!.Get("v1", "ConfigMap", "kube-system", "lgtmlab-state")?["data"]?[stepId.Replace('/', '.')];

    [Fact]
    public async Task The_linkerd_resource_shows_the_issuers_expiry_and_warns_within_30_days()
    {
        // One controller, as one long-running AppHost: its properties are read again whenever they are published.
        using var controller = _lab.Controller();
        LabResource Resource(string name) => controller.Resources.Single(r => r.Name == name);
        Assert.Equal("made on the first run (valid 1 year)", Resource("lgtm-central-linkerd").PropertiesNow()["issuerExpires"]);

        // An issuer made 340 days ago expires in 25 days.
        var made = DateTimeOffset.UtcNow - TimeSpan.FromDays(340);
        new LinkerdPki(_lab.StateDirectory, new Pki.FakeClock(made)).EnsureIdentity("lgtm-central", NullLogger.Instance);
        new LinkerdPki(_lab.StateDirectory).EnsureIdentity("lgtm-remote", NullLogger.Instance);

        var central = Resource("lgtm-central-linkerd");
        var now = central.PropertiesNow();
        Assert.Equal((made + LinkerdPki.IssuerLifetime).ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture), now["issuerExpires"]);
        Assert.Contains("expires on", now["issuerWarning"]);
        Assert.Contains("rotate the issuers", now["issuerWarning"]);
        Assert.False(Resource("lgtm-remote-linkerd").PropertiesNow().ContainsKey("issuerWarning"));
        Assert.Contains("expires on", Resource("lgtm-central").PropertiesNow()["linkerdIssuerWarning"]);
        Assert.False(Resource("lgtm-remote").PropertiesNow().ContainsKey("linkerdIssuerWarning"));
        var probe = await central.Probe!(CancellationToken.None);
        Assert.True(probe.Healthy);
        Assert.Contains("expires on", probe.Description);
    }

    [Fact]
    public void With_linkerd_off_the_mesh_adds_nothing()
    {
        _lab.Lab.Set("Lab:Components:Linkerd", "false");
        using var controller = _lab.Controller();

        Assert.DoesNotContain(controller.Resources, r => MeshLab.IsMeshResource(r.Name));
        Assert.DoesNotContain(controller.Plan.Graph.Steps, s => s.Id.Contains("linkerd", StringComparison.Ordinal) || s.Id.EndsWith("/link", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_mesh_resource_is_a_child_of_its_cluster_and_its_steps_are_named_as_agreed()
    {
        using var controller = _lab.Controller();
        var ids = controller.Plan.Graph.Steps.Select(s => s.Id).ToHashSet();

        foreach (var cluster in new[] { "lgtm-central", "lgtm-remote" })
        {
            foreach (var release in new[] { "linkerd-crds", "linkerd-control-plane", "linkerd-viz", "linkerd-multicluster" })
                Assert.Contains(StepIds.Release(cluster, release), ids);
            foreach (var resource in new[] { "linkerd", "linkerd-viz", "linkerd-multicluster" })
                Assert.Equal(cluster, controller.Resources.Single(r => r.Name == StepIds.Resource(cluster, resource)).Parent);
        }
        Assert.Contains(StepIds.Link("lgtm-remote"), ids);
        var link = controller.Resources.Single(r => r.Name == "lgtm-remote-link");
        Assert.Equal(("lgtm-remote", "Link"), (link.Parent, link.Kind));
        Assert.DoesNotContain(controller.Resources, r => r.Name == "lgtm-central-link");
    }

    private static string KeyBody(string pem) => pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal) && l.Length > 0).First();
}
