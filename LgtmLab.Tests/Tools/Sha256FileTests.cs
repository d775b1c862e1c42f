using LgtmLab.AppHost.Tools.Installation;

namespace LgtmLab.Tests.Tools;

public sealed class Sha256FileTests
{
    private const string Digest = "3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5";
    private static readonly Uri Source = new("https://example.invalid/kind-linux-amd64.sha256sum");

    [Theory]
    [InlineData(Digest + "  kind-linux-amd64\n")]
    [InlineData(Digest + " *kind-linux-amd64\n")]
    [InlineData(Digest)]
    [InlineData(Digest + "\n")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000  kind-darwin-arm64\n" + Digest + "  kind-linux-amd64\n")]
    public void Reads_the_forms_projects_publish(string content) =>
        Assert.Equal(Digest, Sha256File.ExpectedDigest(content, "kind-linux-amd64", Source));

    [Fact]
    public void Upper_case_digests_are_accepted() =>
        Assert.Equal(Digest, Sha256File.ExpectedDigest(Digest.ToUpperInvariant() + "  kind-linux-amd64", "kind-linux-amd64", Source));

    [Fact]
    public void A_checksum_for_another_file_is_refused()
    {
        var e = Assert.Throws<ToolInstallationException>(() => Sha256File.ExpectedDigest(Digest + "  kind-darwin-arm64", "kind-linux-amd64", Source));

        Assert.Equal($"the checksum file {Source} is for kind-darwin-arm64, not kind-linux-amd64", e.Message);
    }

    [Fact]
    public void An_html_error_page_is_not_a_checksum()
    {
        var e = Assert.Throws<ToolInstallationException>(() => Sha256File.ExpectedDigest("<html>rate limited</html>", "kind-linux-amd64", Source));

        Assert.StartsWith($"the checksum file {Source} does not hold a SHA-256 digest", e.Message, StringComparison.Ordinal);
    }
}
