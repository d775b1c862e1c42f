using k8s;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Tools;

/// <summary>
/// Puts the kubeconfig's current-context back after kind has moved it: kind's kubeconfig merge sets current-context to
/// the cluster's <c>kind-&lt;name&gt;</c> on every <c>create cluster</c> and <c>export kubeconfig</c> (kind v0.32.0
/// pkg/cluster/internal/kubeconfig/internal/kubeconfig/merge.go <c>merge</c>: "set the current context"). The value is
/// read before the first of any concurrent kind calls and restored when the last one ends, so two clusters created at
/// once never restore each other's context. The lab's contexts stay in the file for <c>--context</c>.
/// </summary>
internal sealed class CurrentContextKeeper(string kubeconfigPath, Kubectl kubectl)
{
    private static readonly TimeSpan RestoreTimeout = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _inFlight;
    private string? _before;

    /// <summary>Runs <paramref name="kindCall"/>, then restores current-context if it changed (also when the call fails or is cancelled).</summary>
    public async Task RunAsync(Func<Task> kindCall, ILogger logger, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_inFlight++ == 0) _before = Read();
        }
        finally
        {
            _gate.Release();
        }
        try
        {
            await kindCall().ConfigureAwait(false);
        }
        finally
        {
            await LeaveAsync(logger).ConfigureAwait(false);
        }
    }

    private async Task LeaveAsync(ILogger logger)
    {
        // cancellation of the run must not leave the user's kubectl pointing at the lab: restore on a token of its own
        using var timeout = new CancellationTokenSource(RestoreTimeout);
        await _gate.WaitAsync(timeout.Token).ConfigureAwait(false);
        try
        {
            if (--_inFlight > 0) return;
            var now = Read();
            if (now == _before) return;
            try
            {
                if (string.IsNullOrEmpty(_before))
                    await kubectl.UnsetCurrentContextAsync(logger, timeout.Token).ConfigureAwait(false);
                else
                    await kubectl.UseContextAsync(_before, logger, timeout.Token).ConfigureAwait(false);
            }
            catch (ToolFailedException e)
            {
                logger.LogWarning("kind set the kubectl context to {Context} and it could not be set back to {Before}: {Error}. " +
                    "Choose yours with `kubectl config use-context NAME`", now, _before is { Length: > 0 } ? _before : "(none)", e.Message);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private string? Read()
    {
        if (!File.Exists(kubeconfigPath)) return null;
        var current = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(kubeconfigPath)).CurrentContext;
        return string.IsNullOrEmpty(current) ? null : current;
    }
}
