using LgtmLab.AppHost.Configuration;
using Microsoft.Extensions.Configuration;

namespace LgtmLab.Tests.Configuration;

public class LabConfigurationTests
{
    private static LabTopology Load(params (string Key, string? Value)[] settings) =>
        LabConfiguration.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build());

    private static ConfigurationError SingleError(params (string Key, string? Value)[] settings)
    {
        var e = Assert.Throws<LabConfigurationException>(() => Load(settings));
        return Assert.Single(e.Errors);
    }

    [Fact]
    public void Defaults_are_central_and_one_remote_with_distinct_cidrs_ports_and_tenants()
    {
        var lab = Load();

        Assert.Equal(["lgtm-central", "lgtm-remote"], lab.Clusters.Select(c => c.Name));
        var central = lab.Central;
        Assert.Equal((ClusterRole.Central, "central", "10.11.0.0/16", "10.12.0.0/16", "kind-lgtm-central"),
            (central.Role, central.Tenant, central.PodSubnet.ToString(), central.ServiceSubnet.ToString(), central.KubeContext));
        Assert.Equal(["http 8080->30080", "https 8443->30443"], central.PortMappings.Select(p => p.ToString()));
        var remote = lab.Clusters[1];
        Assert.Equal((ClusterRole.Remote, "lgtm-remote", "10.21.0.0/16", "10.22.0.0/16"),
            (remote.Role, remote.Tenant, remote.PodSubnet.ToString(), remote.ServiceSubnet.ToString()));
        Assert.Equal(["otlp-grpc 14317->30317", "otlp-http 14318->30318"], remote.PortMappings.Select(p => p.ToString()));
        Assert.Equal(ClusterLifetime.Persistent, lab.Options.Lifetime);
    }

    [Fact]
    public void Any_number_of_remotes_get_the_next_cidrs_and_ports()
    {
        var lab = Load(("Lab:Remotes:0:Name", "east"), ("Lab:Remotes:1:Name", "west"), ("Lab:Remotes:2:Name", "north"), ("Lab:Remotes:2:Tenant", "team-north"));

        Assert.Equal(["lgtm-central", "east", "west", "north"], lab.Clusters.Select(c => c.Name));
        Assert.Equal(["10.11.0.0/16", "10.21.0.0/16", "10.31.0.0/16", "10.41.0.0/16"], lab.Clusters.Select(c => c.PodSubnet.ToString()));
        Assert.Equal(["10.12.0.0/16", "10.22.0.0/16", "10.32.0.0/16", "10.42.0.0/16"], lab.Clusters.Select(c => c.ServiceSubnet.ToString()));
        Assert.Equal(["central", "east", "west", "team-north"], lab.Clusters.Select(c => c.Tenant));
        Assert.Equal([14337, 14338], lab.Clusters[3].PortMappings.Select(p => p.HostPort));
    }

    [Fact]
    public void Environment_and_command_line_override_appsettings()
    {
        Environment.SetEnvironmentVariable("LGTMLAB_TEST_Lab__Remotes__0__PodSubnet", "10.99.0.0/16");
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection([new("Lab:Remotes:0:Name", "from-json"), new("Lab:Lifetime", "Persistent")])
                .AddEnvironmentVariables("LGTMLAB_TEST_")
                .AddCommandLine(["--Lab:Lifetime=Session", "--Lab:Central:HostPorts:http=18080"])
                .Build();

            var lab = LabConfiguration.Load(configuration);

            Assert.Equal("10.99.0.0/16", lab.Clusters[1].PodSubnet.ToString());
            Assert.Equal(ClusterLifetime.Session, lab.Options.Lifetime);
            Assert.Equal(18080, lab.Central.PortMappings.Single(p => p.Name == "http").HostPort);
        }
        finally
        {
            Environment.SetEnvironmentVariable("LGTMLAB_TEST_Lab__Remotes__0__PodSubnet", null);
        }
    }

    [Fact]
    public void An_explicit_cidr_that_takes_a_default_pushes_allocation_to_the_next_free_pair()
    {
        var lab = Load(("Lab:Central:PodSubnet", "10.21.0.0/16"));

        Assert.Equal("10.21.0.0/16", lab.Central.PodSubnet.ToString());
        Assert.Equal("10.31.0.0/16", lab.Clusters[1].PodSubnet.ToString());
        Assert.Equal("10.22.0.0/16", lab.Clusters[1].ServiceSubnet.ToString());
    }

    [Theory]
    [InlineData("Lab:Central:Name", "LGTM_Central", "Lab:Central:Name", "DNS-1123")]
    [InlineData("Lab:Remotes:0:Name", "-remote", "Lab:Remotes:0:Name", "lower-case letters")]
    [InlineData("Lab:Name", "My Lab", "Lab:Name", "DNS-1123")]
    [InlineData("Lab:Remotes:0:Tenant", "a|b", "Lab:Remotes:0:Tenant", "'|' separates tenants")]
    [InlineData("Lab:Remotes:0:PodSubnet", "10.50.0.0", "Lab:Remotes:0:PodSubnet", "10.50.0.0/16")]
    [InlineData("Lab:Remotes:0:PodSubnet", "10.50.3.0/16", "Lab:Remotes:0:PodSubnet", "host bits")]
    [InlineData("Lab:Remotes:0:PodSubnet", "10.50.0.0/26", "Lab:Remotes:0:PodSubnet", "between /8 and /24")]
    [InlineData("Lab:Central:ServiceSubnet", "10.0.0.0/8", "Lab:Central:ServiceSubnet", "between /12 and /28")]
    [InlineData("Lab:Central:HostPorts:grafana", "3000", "Lab:Central:HostPorts:grafana", "http, https")]
    [InlineData("Lab:Remotes:0:HostPorts:otlp-grpc", "70000", "Lab:Remotes:0:HostPorts:otlp-grpc", "free port")]
    [InlineData("Lab:Retry:MaxAttempts", "0", "Lab:Retry:MaxAttempts", "between 1 and 100")]
    public void Each_rule_names_the_key_and_the_fix(string key, string value, string expectedKey, string expectedText)
    {
        var error = SingleError((key, value));

        Assert.Equal(expectedKey, error.Key);
        Assert.Contains(expectedText, error.ToString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(error.Fix));
    }

    [Fact]
    public void Duplicate_cluster_names_are_rejected_on_the_later_key()
    {
        var error = SingleError(("Lab:Remotes:0:Name", "a"), ("Lab:Remotes:1:Name", "a"), ("Lab:Remotes:1:Tenant", "other"));

        Assert.Equal("Lab:Remotes:1:Name", error.Key);
        Assert.Contains("already the name of Lab:Remotes:0", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_tenants_are_rejected()
    {
        var error = SingleError(("Lab:Remotes:0:Tenant", "central"));

        Assert.Equal("Lab:Remotes:0:Tenant", error.Key);
        Assert.Contains("already used by Lab:Central", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Overlapping_pod_and_service_subnets_name_both_keys()
    {
        var error = SingleError(("Lab:Remotes:0:Name", "one"), ("Lab:Remotes:1:Name", "two"),
            ("Lab:Remotes:0:ServiceSubnet", "10.60.0.0/16"), ("Lab:Remotes:1:PodSubnet", "10.60.128.0/17"));

        Assert.Equal("Lab:Remotes:1:PodSubnet", error.Key);
        Assert.Contains("overlaps Lab:Remotes:0:ServiceSubnet (10.60.0.0/16)", error.Problem, StringComparison.Ordinal);
        Assert.Contains("remove the key to have one allocated", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_five_clusters_do_not_fit_and_the_error_says_why()
    {
        var settings = Enumerable.Range(0, 5).Select(i => ($"Lab:Remotes:{i}:Name", (string?)$"remote{i}")).ToArray();

        var error = SingleError(settings);

        Assert.Equal("Lab:Remotes", error.Key);
        Assert.Contains("at most 5 clusters fit on a /16 network", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_host_ports_are_rejected()
    {
        var error = SingleError(("Lab:Remotes:0:HostPorts:otlp-http", "8080"));

        Assert.Equal("Lab:Remotes:0:HostPorts:otlp-http", error.Key);
        Assert.Contains("already mapped by Lab:Central:HostPorts:http", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_key_is_an_error_not_silently_ignored()
    {
        var error = SingleError(("Lab:Components:Grafna", "false"));

        Assert.Equal("Lab:Components:Grafna", error.Key);
        Assert.Contains("MetalLb, Linkerd, Lgtm, Tns", error.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Lab:Lifetime", "Forever", "Persistent, Session")]
    [InlineData("Lab:Central:HostPorts:http", "eighty", "whole number")]
    [InlineData("Lab:Components:Tns", "maybe", "true or false")]
    public void A_value_of_the_wrong_type_names_its_key(string key, string value, string fix)
    {
        var error = SingleError((key, value));

        Assert.Equal(key, error.Key);
        Assert.Contains(fix, error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var e = Assert.Throws<LabConfigurationException>(() => Load(("Lab:Central:Name", "Bad"), ("Lab:Remotes:0:PodSubnet", "nonsense")));

        Assert.Equal(["Lab:Central:Name", "Lab:Remotes:0:PodSubnet"], e.Errors.Select(x => x.Key));
        Assert.Contains("nothing was created", e.Message, StringComparison.Ordinal);
    }
}
