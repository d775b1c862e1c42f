using System.Text.RegularExpressions;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// An injected failure: the next <see cref="Remaining"/> calls whose command line ("helm upgrade --install
/// metallb ...") matches <see cref="Pattern"/> print <see cref="Stderr"/> and exit with <see cref="ExitCode"/>.
/// Before the effect (default) nothing happens in the lab; after it, the call does its work and then fails
/// (a dropped connection after the write, a helm --wait that timed out).
/// </summary>
internal sealed class FakeFailure(Regex pattern, int times, int exitCode, string stderr, bool afterEffect)
{
    public Regex Pattern { get; } = pattern;

    public int ExitCode { get; } = exitCode;

    public string Stderr { get; } = stderr;

    public bool AfterEffect { get; } = afterEffect;

    /// <summary>How many more matching calls will fail.</summary>
    public int Remaining { get; internal set; } = times;

    /// <summary>How many calls it has failed so far.</summary>
    public int Hits { get; internal set; }
}
