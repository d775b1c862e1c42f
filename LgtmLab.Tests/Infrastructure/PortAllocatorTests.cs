using System.Net;
using System.Net.Sockets;

namespace LgtmLab.Tests.Infrastructure;

/// <summary>
/// A port handed to a child process must still be free when the child binds it: not from the ephemeral range
/// (where the OS gives it to the next bind(0) or outgoing connection), never twice, never to two test processes.
/// </summary>
public sealed class PortAllocatorTests : IDisposable
{
    private readonly string _claims = Directory.CreateTempSubdirectory("lgtmlab-port-claims-").FullName;

    public void Dispose() => Directory.Delete(_claims, recursive: true);

    [Fact]
    public void FreePort_hands_out_no_port_of_the_ephemeral_range_and_none_twice()
    {
        var (low, high) = PortAllocator.EphemeralRange();

        var ports = Enumerable.Range(0, 500).Select(_ => FreePort.Next()).ToList();

        Assert.All(ports, p => Assert.False(p >= low && p <= high, $"{p} is in the ephemeral range {low}-{high}"));
        Assert.Equal(ports.Count, ports.Distinct().Count());
    }

    [Fact]
    public async Task Two_processes_allocating_at_once_from_the_same_start_never_get_the_same_port()
    {
        // Two allocators sharing the claim folder, as two test processes share /tmp/lgtmlab-ports: their counters
        // collide on every port, so only the claims keep them apart.
        var (first, _) = PortAllocator.Band(PortAllocator.EphemeralRange());
        var start = Random.Shared.Next(5000);
        var one = new PortAllocator(first, first + 5299, start, _claims);
        var other = new PortAllocator(first, first + 5299, start, _claims);
        using var go = new Barrier(2);

        var ports = await Task.WhenAll(
            Task.Run(() => { go.SignalAndWait(); return Enumerable.Range(0, 100).Select(_ => one.Next()).ToList(); }),
            Task.Run(() => { go.SignalAndWait(); return Enumerable.Range(0, 100).Select(_ => other.Next()).ToList(); }));

        Assert.Empty(ports[0].Intersect(ports[1]));
        Assert.Equal(200, ports.SelectMany(p => p).Distinct().Count());
    }

    [Fact]
    public void A_port_something_listens_on_is_skipped()
    {
        var port = FreePort.Next();
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        try
        {
            Assert.Throws<InvalidOperationException>(() => new PortAllocator(port, port, 0, _claims).Next());
        }
        finally
        {
            listener.Stop();
        }
        Assert.Equal(port, new PortAllocator(port, port, 0, Path.Combine(_claims, "after")).Next());
    }

    [Fact]
    public void The_band_lies_below_the_ephemeral_range_or_above_it_when_no_room_is_left_below()
    {
        Assert.Equal((20000, 32767), PortAllocator.Band((32768, 60999)));
        Assert.Equal((20000, 49151), PortAllocator.Band((49152, 65535)));
        Assert.Equal((61000, 65535), PortAllocator.Band((15000, 60999)));
    }

    [Fact]
    public void The_ephemeral_range_is_read_from_proc_and_is_the_IANA_range_where_there_is_none()
    {
        var file = Path.Combine(_claims, "ip_local_port_range");
        File.WriteAllText(file, "40000\t50000\n");

        Assert.Equal((40000, 50000), PortAllocator.EphemeralRange(file));
        Assert.Equal((49152, 65535), PortAllocator.EphemeralRange(Path.Combine(_claims, "missing")));
    }
}
