using System.Net.Sockets;
using System.Text;

namespace LgtmLab.Tests.Fakes;

/// <summary>One invocation of a fake tool, as the tool's handler sees it: argv, environment, input, output.</summary>
internal sealed class FakeCall
{
    private readonly Stream? _connection;
    private readonly Lock _writeLock = new();
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private bool _paused;

    internal FakeCall(string tool, IReadOnlyList<string> args, string workingDirectory, string? kubeconfig, string? home,
        string? stdin, Stream? connection, CancellationToken aborted)
    {
        Tool = tool;
        Args = args;
        WorkingDirectory = workingDirectory;
        KubeconfigVariable = string.IsNullOrEmpty(kubeconfig) ? null : kubeconfig;
        Home = string.IsNullOrEmpty(home) ? null : home;
        Stdin = stdin;
        _connection = connection;
        Aborted = aborted;
    }

    public string Tool { get; }

    public IReadOnlyList<string> Args { get; }

    public string WorkingDirectory { get; }

    /// <summary>$KUBECONFIG of the process (null when unset).</summary>
    public string? KubeconfigVariable { get; }

    public string? Home { get; }

    /// <summary>Standard input, read only when an argument was "-".</summary>
    public string? Stdin { get; }

    /// <summary>Cancelled when the process goes away (killed, or its caller gave up).</summary>
    public CancellationToken Aborted { get; }

    /// <summary>How long this call takes (set from the toolbox's latency rules).</summary>
    public TimeSpan Latency { get; internal set; }

    /// <summary>"kind create cluster --name x": what failure and latency patterns match.</summary>
    public string CommandLine => string.Join(' ', new[] { Tool }.Concat(Args));

    public string Stdout { get { lock (_writeLock) return _stdout.ToString(); } }

    public string Stderr { get { lock (_writeLock) return _stderr.ToString(); } }

    /// <summary>Waits out <see cref="Latency"/> once; the point where a slow real tool spends its time.</summary>
    public async Task PauseAsync()
    {
        if (_paused) return;
        _paused = true;
        if (Latency > TimeSpan.Zero) await Task.Delay(Latency, Aborted);
    }

    internal bool Paused => _paused;

    public void Out(string text) => Write('o', 'O', text, _stdout);

    public void OutLine(string line = "") => Out(line + "\n");

    public void Err(string text) => Write('e', 'E', text, _stderr);

    public void ErrLine(string line = "") => Err(line + "\n");

    /// <summary>A path argument resolved against the process's working directory.</summary>
    public string ResolvePath(string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(WorkingDirectory, path));

    /// <summary>The content of a file argument, or of stdin for "-".</summary>
    public string ReadInput(string pathOrDash) => pathOrDash == "-" ? Stdin ?? "" : File.ReadAllText(ResolvePath(pathOrDash));

    internal void Exit(int code) => Send($"x{code}\n");

    private void Write(char full, char partial, string text, StringBuilder capture)
    {
        if (text.Length == 0) return;
        var wire = new StringBuilder();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var last = i == lines.Length - 1;
            if (last && lines[i].Length == 0) break;
            wire.Append(last ? partial : full).Append(lines[i]).Append('\n');
        }
        lock (_writeLock) capture.Append(text);
        Send(wire.ToString());
    }

    private void Send(string wire)
    {
        if (_connection is null) return;
        var bytes = Encoding.UTF8.GetBytes(wire);
        lock (_writeLock)
        {
            try { _connection.Write(bytes); _connection.Flush(); }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException) { }
        }
    }
}
