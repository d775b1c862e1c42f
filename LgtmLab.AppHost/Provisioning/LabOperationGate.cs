namespace LgtmLab.AppHost.Provisioning;

/// <summary>What an operation does when another one holds the <see cref="LabOperationGate"/>.</summary>
internal enum WhenBusy
{
    /// <summary>Waits until the other one has finished (the controller's verbs called directly).</summary>
    Wait,
    /// <summary>Does not run at all (e.g. Retry from the dashboard while something runs).</summary>
    Refuse,
    /// <summary>Cancels the other one, then runs once it has unwound (e.g. Delete cluster).</summary>
    Interrupt,
}

/// <summary>
/// The one place that decides that one lab operation runs at a time, whichever layer starts it: the controller's
/// verbs and the dashboard's commands both go through it. An operation started while the same async flow already
/// holds the gate (the dashboard's command calling a controller verb) runs inside the holder's turn instead of
/// waiting for itself.
/// </summary>
internal sealed class LabOperationGate : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);
    private readonly Lock _lock = new();
    private readonly AsyncLocal<Turn?> _held = new();
    private Turn? _current;

    /// <summary>What holds the gate now (e.g. "Recreate cluster lgtm-central"); null when the lab is idle.</summary>
    public string? CurrentOperation
    {
        get
        {
            lock (_lock)
                return _current?.Operation;
        }
    }

    /// <summary>Runs <paramref name="body"/> alone; returns false when busy and told to refuse.</summary>
    public async Task<bool> RunAsync(string operation, WhenBusy whenBusy, CancellationToken cancellationToken, Func<CancellationToken, Task> body) =>
        await RunAsync(operation, whenBusy, cancellationToken, async turn =>
        {
            await body(turn.Token).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);

    /// <summary>Runs <paramref name="body"/> alone; returns default when busy and told to refuse. The body's token
    /// is cancelled when the caller's is, or when an <see cref="WhenBusy.Interrupt"/> operation takes over.</summary>
    public async Task<T?> RunAsync<T>(string operation, WhenBusy whenBusy, CancellationToken cancellationToken, Func<Turn, Task<T>> body)
    {
        if (_held.Value is { IsActive: true } outer && outer.Gate == this)
            return await body(outer).ConfigureAwait(false);

        switch (whenBusy)
        {
            case WhenBusy.Refuse:
                if (!await _semaphore.WaitAsync(0, cancellationToken).ConfigureAwait(false))
                    return default;
                break;
            case WhenBusy.Interrupt:
                Turn? running;
                lock (_lock)
                    running = _current;
                running?.Interrupt(operation);
                await _semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
                break;
            default:
                await _semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
                break;
        }

        using var turn = new Turn(this, operation, cancellationToken);
        lock (_lock)
            _current = turn;
        _held.Value = turn;
        try
        {
            return await body(turn).ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
            {
                turn.IsActive = false;
                _current = null;
            }
            _semaphore.Release();
        }
    }

    public void Dispose() => _semaphore.Dispose();

    /// <summary>One operation's hold on the gate.</summary>
    public sealed class Turn : IDisposable
    {
        private readonly CancellationTokenSource _cancellation;
        private string? _interruptedBy;

        internal Turn(LabOperationGate gate, string operation, CancellationToken cancellationToken)
        {
            Gate = gate;
            Operation = operation;
            _cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        }

        internal LabOperationGate Gate { get; }

        internal bool IsActive { get; set; } = true;

        public string Operation { get; }

        public CancellationToken Token => _cancellation.Token;

        /// <summary>The operation that took over from this one; null while none did.</summary>
        public string? InterruptedBy => Volatile.Read(ref _interruptedBy);

        internal void Interrupt(string by)
        {
            Interlocked.CompareExchange(ref _interruptedBy, by, null);
            try
            {
                _cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // It finished while being interrupted: nothing is left to stop.
            }
        }

        public void Dispose() => _cancellation.Dispose();
    }
}
