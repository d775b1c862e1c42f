using System.Collections.Concurrent;

namespace LgtmLab.Tests.Hosting;

/// <summary>
/// Aspire's interaction service as a dashboard user would drive it: records each confirmation asked and answers it
/// when the test says (<see cref="Answer"/>). Any other kind of prompt is recorded and dismissed.
/// </summary>
internal sealed class RecordingInteractionService(bool available = true) : IInteractionService
{
    private readonly ConcurrentQueue<Prompt> _prompts = new();
    private readonly TaskCompletionSource _asked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public sealed record Prompt(string Kind, string Title, string Message, MessageBoxInteractionOptions? Options);

    public bool IsAvailable => available;

    public IReadOnlyList<Prompt> Prompts => [.. _prompts];

    /// <summary>Completes when the first confirmation is asked.</summary>
    public Task Asked => _asked.Task;

    /// <summary>Answers every confirmation asked, now and later: true is the primary button, false the secondary.</summary>
    public void Answer(bool confirm) => _answer.TrySetResult(confirm);

    public async Task<InteractionResult<bool>> PromptConfirmationAsync(string title, string message, MessageBoxInteractionOptions? options = null, CancellationToken cancellationToken = default)
    {
        _prompts.Enqueue(new Prompt("confirmation", title, message, options));
        // As Aspire's own service does when there is no dashboard.
        if (!available)
            throw new InvalidOperationException("Interaction service is unavailable.");
        _asked.TrySetResult();
        return InteractionResult.Ok(await _answer.Task.WaitAsync(cancellationToken));
    }

    public Task<InteractionResult<bool>> PromptMessageBoxAsync(string title, string message, MessageBoxInteractionOptions? options = null, CancellationToken cancellationToken = default) =>
        Dismissed<bool>("message box", title, message);

    public Task<InteractionResult<InteractionInput>> PromptInputAsync(string title, string? message, string inputLabel, string placeHolder, InputsDialogInteractionOptions? options = null, CancellationToken cancellationToken = default) =>
        Dismissed<InteractionInput>("input", title, message);

    public Task<InteractionResult<InteractionInput>> PromptInputAsync(string title, string? message, InteractionInput input, InputsDialogInteractionOptions? options = null, CancellationToken cancellationToken = default) =>
        Dismissed<InteractionInput>("input", title, message);

    public Task<InteractionResult<InteractionInputCollection>> PromptInputsAsync(string title, string? message, IReadOnlyList<InteractionInput> inputs, InputsDialogInteractionOptions? options = null, CancellationToken cancellationToken = default) =>
        Dismissed<InteractionInputCollection>("inputs", title, message);

    public Task<InteractionResult<bool>> PromptNotificationAsync(string title, string message, NotificationInteractionOptions? options = null, CancellationToken cancellationToken = default) =>
        Dismissed<bool>("notification", title, message);

    // The interface makes a double implement its experimental members too; the lab never calls them.
#pragma warning disable ASPIREINTERACTION001, ASPIRETERMINAL001
    public Task<InteractionResult<bool>> PromptProgressAsync(string message, ProgressInteractionOptions? options = null, CancellationToken cancellationToken = default) =>
        Dismissed<bool>("progress", "", message);

    public Task<InteractionResult<bool>> PromptTerminalAsync(string message, AspireTerminal terminal, TerminalInteractionOptions? options = null, CancellationToken cancellationToken = default) =>
        Dismissed<bool>("terminal", "", message);
#pragma warning restore ASPIREINTERACTION001, ASPIRETERMINAL001

    private Task<InteractionResult<T>> Dismissed<T>(string kind, string title, string? message)
    {
        _prompts.Enqueue(new Prompt(kind, title, message ?? "", null));
        return Task.FromResult(InteractionResult.Cancel<T>());
    }
}
