namespace LgtmLab.TnsSample.Telemetry;

/// <summary>The histogram buckets TNS uses.</summary>
internal static class Buckets
{
    /// <summary>Prometheus client_golang's <c>DefBuckets</c>.</summary>
    public static readonly IReadOnlyList<double> Default = [.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10];

    /// <summary>weaveworks/common's <c>instrument.DefBuckets</c>: DefBuckets extended to 100 s.</summary>
    public static readonly IReadOnlyList<double> Request = [.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 25, 50, 100];

    private const double MiB = 1024 * 1024;

    /// <summary>weaveworks/common's <c>BodySizeBuckets</c>.</summary>
    public static readonly IReadOnlyList<double> BodySize = [1 * MiB, 2.5 * MiB, 5 * MiB, 10 * MiB, 25 * MiB, 50 * MiB, 100 * MiB, 250 * MiB];
}
