using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LgtmLab.Tests.Infrastructure;

/// <summary>
/// Hands out loopback ports that stay free until the caller's child binds them. A port the OS picks with bind(0)
/// comes from the ephemeral range, where any process's next outgoing connection or bind(0) may take it the moment
/// it is released; so ports come from a band below that range, from a counter that starts at a random offset, and
/// each is claimed across processes by an exclusive lock on <c>&lt;lock folder&gt;/&lt;port&gt;</c> that this
/// allocator holds until its process ends (the OS drops the lock with the process: no stale claims). A port
/// something already listens on is skipped.
/// </summary>
internal sealed class PortAllocator
{
    private readonly int _first;
    private readonly int _count;
    private readonly string _lockDirectory;
    private readonly List<FileStream> _claims = [];
    private int _next;

    /// <param name="first">The lowest port of the band.</param>
    /// <param name="last">The highest port of the band.</param>
    /// <param name="start">Where in the band the counter starts (0 .. last - first).</param>
    /// <param name="lockDirectory">Where the claims of every process on this machine are.</param>
    public PortAllocator(int first, int last, int start, string lockDirectory)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first, last);
        _first = first;
        _count = last - first + 1;
        _next = start % _count - 1;
        _lockDirectory = lockDirectory;
        Directory.CreateDirectory(lockDirectory);
    }

    /// <summary>The allocator every test process shares: the band below the ephemeral range, claims under /tmp/lgtmlab-ports.</summary>
    public static PortAllocator ForThisMachine()
    {
        var (first, last) = Band(EphemeralRange());
        return new PortAllocator(first, last, Random.Shared.Next(last - first + 1), Path.Combine(Path.GetTempPath(), "lgtmlab-ports"));
    }

    public int Next()
    {
        for (var tried = 0; tried < _count; tried++)
        {
            var port = _first + (int)((uint)Interlocked.Increment(ref _next) % (uint)_count);
            if (!TryClaim(port)) continue;
            if (NothingListens(port)) return port;
        }
        throw new InvalidOperationException($"no free port left in {_first}-{_first + _count - 1} (claims in {_lockDirectory})");
    }

    /// <summary>
    /// FileShare.None is an exclusive advisory lock (flock) on Unix in .NET, taken by another process's allocator
    /// and by another allocator in this one alike. A claimed port stays claimed even when it turns out to be in use,
    /// so it is not tried twice.
    /// </summary>
    private bool TryClaim(int port)
    {
        FileStream claim;
        try
        {
            claim = new FileStream(Path.Combine(_lockDirectory, port.ToString(CultureInfo.InvariantCulture)), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
        // The holder's pid, for whoever wonders why the port is taken.
        claim.SetLength(0);
        claim.Write(System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
        claim.Flush();
        lock (_claims) _claims.Add(claim);
        return true;
    }

    /// <summary>
    /// Binding the IPv4 wildcard address fails while anything is bound to the port on any IPv4 address; [::1] is
    /// probed too where it exists (a machine without IPv6 addresses fails that bind for another reason).
    /// </summary>
    private static bool NothingListens(int port) =>
        Binds(AddressFamily.InterNetwork, IPAddress.Any, port)
        && (!Socket.OSSupportsIPv6 || Binds(AddressFamily.InterNetworkV6, IPAddress.IPv6Loopback, port, onlyInUseCounts: true));

    private static bool Binds(AddressFamily family, IPAddress address, int port, bool onlyInUseCounts = false)
    {
        try
        {
            using var probe = new Socket(family, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException e)
        {
            return onlyInUseCounts && e.SocketErrorCode is not (SocketError.AddressAlreadyInUse or SocketError.AccessDenied);
        }
    }

    /// <summary>
    /// Linux: /proc/sys/net/ipv4/ip_local_port_range ("32768\t60999" by default). Elsewhere the IANA range
    /// 49152-65535 that macOS and Windows use by default.
    /// </summary>
    public static (int First, int Last) EphemeralRange(string procFile = "/proc/sys/net/ipv4/ip_local_port_range")
    {
        try
        {
            var fields = File.ReadAllText(procFile).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 2
                && int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var low)
                && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var high)
                && low <= high)
                return (low, high);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return (49152, 65535);
    }

    /// <summary>
    /// From 20000 (above the ports development services commonly use) up to just below the ephemeral range; above
    /// it when a machine's range starts too low to leave room.
    /// </summary>
    public static (int First, int Last) Band((int First, int Last) ephemeral)
    {
        const int Floor = 20000;
        const int Enough = 1000;
        if (ephemeral.First - Floor >= Enough) return (Floor, ephemeral.First - 1);
        if (65535 - ephemeral.Last >= Enough) return (ephemeral.Last + 1, 65535);
        if (ephemeral.First - 1024 >= Enough) return (1024, ephemeral.First - 1);
        throw new InvalidOperationException($"the ephemeral port range {ephemeral.First}-{ephemeral.Last} leaves no band of {Enough} ports for test servers");
    }
}
