using System.Globalization;
using System.Net;
using System.Net.Sockets;
using k8s.Autorest;
using LgtmLab.AppHost.Kubernetes;
using LgtmLab.AppHost.Tools;
using LgtmLab.AppHost.Tools.Installation;
using Polly.Timeout;

namespace LgtmLab.AppHost.Provisioning;

/// <summary>A step saw a condition that time may fix (not ready yet); the engine retries it with back-off.</summary>
internal sealed class TransientStepException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A step cannot succeed without the user acting; carries the hint that tells them how.</summary>
internal class StepFailedException(string message, string hint) : Exception(message)
{
    public string Hint { get; } = hint;
}

/// <summary>
/// A wait ended and the cluster said why (<see cref="Step.DiagnoseAsync"/>): a bad image, a crashing or OOM-killed
/// container, a pod no node fits, a failing readiness probe. Waiting longer fixes none of them, so it is not retried.
/// </summary>
internal sealed class WorkloadFailedException(WorkloadDiagnosis diagnosis, Exception waitFailure)
    : Exception(diagnosis.Summary, waitFailure)
{
    /// <summary>What the pods and events said.</summary>
    public WorkloadDiagnosis Diagnosis { get; } = diagnosis;
}

/// <summary>Which failures are retried, and the message a failed step shows.</summary>
internal static class StepFailures
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

    /// <summary>
    /// A wait for readiness ended without it: helm's <c>--wait</c> ran out (helm v4.1.4 pkg/kube/statuswait.go wait:
    /// "resource Kind/ns/name not ready. status: ..., message: ..." joined with the context's "context deadline
    /// exceeded"), a Verify gave up (<see cref="TransientStepException"/>), an attempt ran out of time.
    /// </summary>
    public static bool EndsAWait(Exception failure) => failure switch
    {
        ToolFailedException tool => tool.Result.StandardError.Concat(tool.Result.StandardOutput)
            .Any(l => l.Contains("context deadline exceeded", StringComparison.Ordinal) || l.Contains(" not ready. status: ", StringComparison.Ordinal)),
        TransientStepException or TimeoutRejectedException => true,
        _ => false,
    };

    /// <summary>"what failed: the tool's last words. Hint: what to do".</summary>
    public static string Describe(Step step, Exception exception)
    {
        if (exception is WorkloadFailedException workload)
            return $"{What(step, workload.InnerException!)}. {workload.Diagnosis.Summary.TrimEnd('.')}. Hint: {workload.Diagnosis.Hint}; then use Retry on {step.ResourceName}";
        var hint = exception is StepFailedException failed ? failed.Hint : step.HintFor(exception) ?? GenericHint(step, exception);
        return $"{What(step, exception)}. Hint: {hint}";
    }

    private static string What(Step step, Exception exception) => exception switch
    {
        ToolFailedException tool => $"`{tool.CommandLine}` failed (exit {tool.Result.ExitCode}): {ToolFailedException.Tail(tool.Result)}",
        HttpOperationException api => $"the Kubernetes API answered {(int?)api.Response?.StatusCode} {api.Response?.ReasonPhrase}: {Trim(api.Response?.Content)}",
        TimeoutRejectedException timeout => $"{step.Id} did not finish within {Span(timeout.Timeout)}",
        _ => exception.Message,
    };

    /// <summary>"5 min", "1.5 min" or "3 s".</summary>
    public static string Span(TimeSpan span) => span >= TimeSpan.FromMinutes(1)
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.#} min")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} s");

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
