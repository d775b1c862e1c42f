using LgtmLab.AppHost.Provisioning;

namespace LgtmLab.Tests.Engine;

/// <summary>
/// What a run reads from outside the configuration (a project's sources) is read once per run: every step and phase
/// of the run, and the tasks it starts, see the first value; the next run reads it again; outside a run each read is new.
/// </summary>
public sealed class RunMemoTests
{
    private readonly object _key = new();
    private int _reads;

    private int Read() => RunMemo.Get(_key, () => ++_reads);

    private async Task<(int First, int InATask, int Later)> RunAsync()
    {
        RunMemo.BeginRun();
        var first = Read();
        var inATask = await Task.Run(Read);
        await Task.Yield();
        return (first, inATask, Read());
    }

    [Fact]
    public async Task A_run_reads_once_the_next_run_reads_again_and_outside_a_run_every_read_is_new()
    {
        Assert.Equal((1, 1, 1), await RunAsync());
        Assert.Equal((2, 2, 2), await RunAsync());

        Assert.Equal(3, Read());
        Assert.Equal(4, Read());
    }
}
