using System.Text;
using LgtmLab.AppHost.Observability;

namespace LgtmLab.Tests.Lgtm;

/// <summary>The Grafana admin password reaches the cluster's Secret and nowhere else the lab writes or records.</summary>
public sealed class GrafanaAdminPasswordTests
{
    [Fact]
    public async Task The_password_is_in_the_grafana_admin_secret_and_in_no_argv_journal_log_file_or_values()
    {
        await using var lab = LgtmContractLab.Create();

        LgtmContractLab.AllSucceeded(await lab.RunAsync());
        LgtmContractLab.AllSucceeded(await lab.RunAsync());

        var secret = lab.Central.Api!.Get("v1", "Secret", GrafanaAccess.Namespace, GrafanaAccess.AdminSecretName)!;
        Assert.Equal(lab.Password, Encoding.UTF8.GetString(Convert.FromBase64String((string)secret["data"]![GrafanaAccess.AdminPasswordKey]!)));
        Assert.Equal("admin", Encoding.UTF8.GetString(Convert.FromBase64String((string)secret["data"]![GrafanaAccess.AdminUserKey]!)));

        var recorded = new List<(string Where, string Text)>();
        recorded.AddRange(lab.Toolbox.Invocations.Select(i => ($"argv/output of {i.CommandLine}", i.CommandLine + "\n" + i.Stdout + "\n" + i.Stderr)));
        recorded.AddRange(lab.Log.Lines.Select(l => ("log", l)));
        recorded.AddRange(lab.Progress.Reports.Select(r => ("progress", r.Message ?? "")));
        recorded.AddRange(Directory.GetFiles(lab.Toolbox.Root, "*", SearchOption.AllDirectories).Select(f => (f, File.ReadAllText(f))));
        recorded.AddRange(lab.Toolbox.Clusters.SelectMany(c => c.Api!.Requests).Select(r => ("API request", r.Path + "?" + r.Query)));
        recorded.AddRange(lab.Toolbox.Clusters.SelectMany(c => c.Releases).Select(r => ($"values of release {r.Name}", r.Values?.ToJsonString() ?? "")));
        using (var controller = lab.Controller())
            recorded.AddRange(controller.Resources.SelectMany(r => r.Properties.Select(p => ($"property {r.Name}.{p.Key}", p.Value))));

        Assert.Contains(recorded, r => r.Where == lab.Toolbox.JournalPath);
        Assert.Contains(recorded, r => r.Text.Contains("helm upgrade --install grafana", StringComparison.Ordinal));
        var leaks = recorded.Where(r => r.Text.Contains(lab.Password, StringComparison.Ordinal)).Select(r => r.Where).ToList();
        Assert.True(leaks.Count == 0, "the password appears in: " + string.Join(", ", leaks));
    }

    [Fact]
    public async Task A_changed_password_updates_the_secret_and_restarts_grafana_and_nothing_else()
    {
        await using var lab = LgtmContractLab.Create();
        LgtmContractLab.AllSucceeded(await lab.RunAsync());
        lab.Password = "Changed" + lab.Password;
        lab.Toolbox.ClearJournal();
        var start = DateTimeOffset.UtcNow;

        var outcomes = await lab.RunAsync();

        LgtmContractLab.AllSucceeded(outcomes);
        Assert.Empty(lab.Toolbox.Mutating);
        Assert.Equal(["lgtm-central/grafana-secrets"], outcomes.Values.Where(o => o.Applied).Select(o => o.StepId));
        var api = lab.Central.Api!;
        Assert.Equal(
            [("PUT", $"/api/v1/namespaces/observability/secrets/{GrafanaAccess.AdminSecretName}"), ("PATCH", "/apis/apps/v1/namespaces/observability/deployments/grafana")],
            api.MutatingRequests.Where(r => r.At >= start).Select(r => (r.Method, r.Path)));
        var secret = api.Get("v1", "Secret", GrafanaAccess.Namespace, GrafanaAccess.AdminSecretName)!;
        Assert.Equal(lab.Password, Encoding.UTF8.GetString(Convert.FromBase64String((string)secret["data"]![GrafanaAccess.AdminPasswordKey]!)));
        Assert.NotNull(api.Get("apps/v1", "Deployment", "observability", "grafana")!["spec"]!["template"]!["metadata"]!["annotations"]!["kubectl.kubernetes.io/restartedAt"]);
    }

    [Fact]
    public async Task Without_a_password_the_grafana_secrets_step_fails_saying_how_to_give_one()
    {
        await using var lab = LgtmContractLab.Create();
        lab.Password = "";

        var outcomes = await lab.RunAsync();

        var failed = outcomes["lgtm-central/grafana-secrets"];
        Assert.Equal(AppHost.Provisioning.StepStatus.Failed, failed.Status);
        Assert.Contains(GrafanaAccess.AdminPasswordParameter, failed.Message, StringComparison.Ordinal);
        Assert.Equal(AppHost.Provisioning.StepStatus.Blocked, outcomes["lgtm-central/grafana"].Status);
        Assert.Null(lab.Central.Api!.Get("v1", "Secret", GrafanaAccess.Namespace, GrafanaAccess.AdminSecretName));
    }
}
