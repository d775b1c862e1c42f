using System.Globalization;

namespace LgtmLab.Tests.Fakes;

/// <summary>
/// The executable each fake tool is: a bash script (starts in ~2 ms, no jq or curl needed) that sends its
/// working directory, KUBECONFIG, HOME, argv and, when an argument is "-", stdin to the FakeToolbox over
/// 127.0.0.1, then replays the answer: "o"/"e" lines for stdout/stderr ("O"/"E" without a trailing newline)
/// and "x&lt;code&gt;" for the exit code. All behaviour lives in C#, in the test process.
/// </summary>
internal static class FakeToolScript
{
    public static string For(string tool, int port) => Template
        .Replace("@TOOL@", tool, StringComparison.Ordinal)
        .Replace("@PORT@", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private const string Template = """
        #!/bin/bash
        # Fake `@TOOL@` of the LgtmLab contract tests (LgtmLab.Tests/Fakes): it asks the FakeToolbox of the test
        # that wrote it (127.0.0.1:@PORT@) what the real @TOOL@ would do, and replays the answer.
        { exec 3<>/dev/tcp/127.0.0.1/@PORT@; } 2>/dev/null || {
          echo "fake @TOOL@: no FakeToolbox is listening on 127.0.0.1:@PORT@ (the test that created this fake has ended)" >&2
          exit 125
        }
        stdin=0
        for arg in "$@"; do [[ $arg == - || $arg == *=- ]] && stdin=1; done
        printf '%s\0' @TOOL@ "$PWD" "${KUBECONFIG-}" "${HOME-}" "$stdin" "$#" "$@" >&3
        if (( stdin )); then
          IFS= read -r -d '' input || true
          printf '%s\0' "$input" >&3
        fi
        while IFS= read -r line <&3; do
          case ${line:0:1} in
            o) printf '%s\n' "${line:1}" ;;
            O) printf '%s' "${line:1}" ;;
            e) printf '%s\n' "${line:1}" >&2 ;;
            E) printf '%s' "${line:1}" >&2 ;;
            x) exit "${line:1}" ;;
          esac
        done
        echo "fake @TOOL@: the FakeToolbox closed the connection without an exit code" >&2
        exit 125

        """;
}
