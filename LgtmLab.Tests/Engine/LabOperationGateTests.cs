using LgtmLab.AppHost.Provisioning;

namespace LgtmLab.Tests.Engine;

/// <summary>The one gate every lab operation goes through, whichever layer starts it.</summary>
public class LabOperationGateTests
{
    [Fact]
    public async Task A_refusing_operation_does_not_run_while_another_holds_the_gate_and_can_name_it()
    {
        using var gate = new LabOperationGate();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = gate.RunAsync("Recreate cluster lgtm-remote", WhenBusy.Wait, CancellationToken.None, async _ =>
        {
            entered.SetResult();
            await release.Task;
        });
        await entered.Task;

        Assert.Equal("Recreate cluster lgtm-remote", gate.CurrentOperation);
        var ran = false;
        Assert.False(await gate.RunAsync("Retry lgtm-central", WhenBusy.Refuse, CancellationToken.None, _ => { ran = true; return Task.CompletedTask; }));
        Assert.False(ran);

        release.SetResult();
        Assert.True(await first);
        Assert.Null(gate.CurrentOperation);
        Assert.True(await gate.RunAsync("Retry lgtm-central", WhenBusy.Refuse, CancellationToken.None, _ => Task.CompletedTask));
    }

    [Fact]
    public async Task An_interrupting_operation_cancels_the_holder_and_runs_once_it_has_unwound()
    {
        using var gate = new LabOperationGate();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var order = new List<string>();
        string? interruptedBy = null;
        var holder = gate.RunAsync("Run", WhenBusy.Wait, CancellationToken.None, async turn =>
        {
            entered.SetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, turn.Token);
            }
            finally
            {
                interruptedBy = turn.InterruptedBy;
                lock (order)
                    order.Add("holder unwound");
            }
            return true;
        });
        await entered.Task;

        var takeover = await gate.RunAsync("Delete cluster lgtm-central", WhenBusy.Interrupt, CancellationToken.None, _ =>
        {
            lock (order)
                order.Add("takeover ran");
            return Task.FromResult(true);
        });

        Assert.True(takeover);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => holder);
        Assert.Equal("Delete cluster lgtm-central", interruptedBy);
        Assert.Equal(["holder unwound", "takeover ran"], order);
    }

    [Fact]
    public async Task A_waiting_operation_runs_after_the_holder_and_never_beside_it()
    {
        using var gate = new LabOperationGate();
        var inside = 0;
        var most = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task Body(bool hold)
        {
            most = Math.Max(most, Interlocked.Increment(ref inside));
            if (hold)
            {
                entered.SetResult();
                await release.Task;
            }
            Interlocked.Decrement(ref inside);
        }
        var first = gate.RunAsync("Run", WhenBusy.Wait, CancellationToken.None, _ => Body(hold: true));
        await entered.Task;
        var second = gate.RunAsync("Run steps lgtm-central/linkerd", WhenBusy.Wait, CancellationToken.None, _ => Body(hold: false));
        Assert.False(second.IsCompleted);

        release.SetResult();
        await Task.WhenAll(first, second);
        Assert.Equal(1, most);
    }

    [Fact]
    public async Task A_verb_called_from_inside_an_operation_runs_in_its_turn_instead_of_waiting_for_itself()
    {
        using var gate = new LabOperationGate();
        var outer = await gate.RunAsync("Retry lgtm-central-metallb", WhenBusy.Refuse, CancellationToken.None, async turn =>
            await gate.RunAsync("Run", WhenBusy.Wait, turn.Token, inner => Task.FromResult(inner.Operation)));
        Assert.Equal("Retry lgtm-central-metallb", outer);

        // Once the turn is over, the same flow takes a turn of its own again.
        Assert.True(await gate.RunAsync("Delete lab", WhenBusy.Refuse, CancellationToken.None, _ => Task.CompletedTask));
    }
}
