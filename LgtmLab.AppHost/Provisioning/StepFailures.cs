using System.Net;
using System.Net.Sockets;
using k8s.Autorest;
using LgtmLab.AppHost.Tools;
using LgtmLab.AppHost.Tools.Installation;
using Polly.Timeout;

namespace LgtmLab.AppHost.Provisioning;

/// <summary>A step saw a condition that time may fix (not ready yet); the engine retries it with back-off.</summary>
public sealed class TransientStepException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A step cannot succeed without the user acting; carries the hint that tells them how.</summary>
public sealed class StepFailedException(string message, string hint) : Exception(message)
{
    public string Hint { get; } = hint;
}

/// <summary>Which failures are retried, and the message a failed step shows.</summary>
public static class StepFailures
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        TransientStepException => true,
        ToolFailedException tool => tool.IsTransient,
        TimeoutRejectedException => true,
        HttpRequestException http => http.StatusCode is null or HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError,
        HttpOperationException api => api.Response?.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.Conflict
            or >= HttpStatusCode.InternalServerError,
        SocketException => true,
        IOException { InnerException: SocketException } => true,
        OperationCanceledException { InnerException: TimeoutException } => true, // an HTTP request timed out, not the run
        _ => false,
    };

    /// <summary>"what failed: the tool's last words. Hint: what to do".</summary>
    public static string Describe(Step step, Exception exception)
    {
        var what = exception switch
        {
            ToolFailedException tool => $"`{tool.CommandLine}` failed (exit {tool.Result.ExitCode}): {ToolFailedException.Tail(tool.Result)}",
            HttpOperationException api => $"the Kubernetes API answered {(int?)api.Response?.StatusCode} {api.Response?.ReasonPhrase}: {Trim(api.Response?.Content)}",
            TimeoutRejectedException => $"{step.Id} did not finish within {step.Timeout.TotalMinutes:0.#} min",
            _ => exception.Message,
        };
        var hint = exception is StepFailedException failed ? failed.Hint : step.HintFor(exception) ?? GenericHint(step, exception);
        return $"{what}. Hint: {hint}";
    }

    private static string GenericHint(Step step, Exception exception) => exception switch
    {
        ToolNotFoundException or ToolInstallationException or DockerNotRunningException => "fix the above, then run the lab again",
        HttpRequestException or SocketException =>
            $"the cluster's API server does not answer: check that its node container runs (`docker ps`), then use Retry on {step.ResourceName}",
        ToolFailedException tool when tool.Result.Error.Contains("Cannot connect to the Docker daemon", StringComparison.OrdinalIgnoreCase) =>
            "start Docker, then use Retry",
        _ => $"see the log of {step.ResourceName} for the full output; fix the cause, then use Retry on {step.ResourceName}",
    };

    private static string Trim(string? text) => text is null ? "" : text.Length <= 300 ? text : text[..300] + "...";
}
