using LgtmLab.AppHost.Provisioning;

namespace LgtmLab.Tests.Engine;

public class FingerprintTests
{
    [Fact]
    public void Same_inputs_give_the_same_fingerprint() =>
        Assert.Equal(Fingerprint.Of(("chart", "metallb-0.16.1"), ("values", "a: 1\n")), Fingerprint.Of(("chart", "metallb-0.16.1"), ("values", "a: 1\r\n")));

    [Fact]
    public void Any_changed_input_changes_it()
    {
        var baseline = Fingerprint.Of(("chart", "metallb-0.16.1"), ("values", "a: 1"));

        Assert.NotEqual(baseline, Fingerprint.Of(("chart", "metallb-0.16.2"), ("values", "a: 1")));
        Assert.NotEqual(baseline, Fingerprint.Of(("chart", "metallb-0.16.1"), ("values", "a: 2")));
        Assert.NotEqual(Fingerprint.Of(("a", "bc")), Fingerprint.Of(("ab", "c")));
    }

    [Fact]
    public void It_is_short_and_says_how_it_was_made() =>
        Assert.Matches("^sha256:[0-9a-f]{16}$", Fingerprint.Of(("x", "y")));
}
