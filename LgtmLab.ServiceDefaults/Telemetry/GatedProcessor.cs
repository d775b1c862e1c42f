using OpenTelemetry;

namespace LgtmLab.ServiceDefaults.Telemetry;

/// <summary>
/// Passes finished spans or log records on to its export processor only while <see cref="EndpointGate"/> says the
/// endpoint is up; otherwise they are dropped before any serialization. A composite, so the provider still reaches
/// the exporter (it needs the provider for the resource, e.g. <c>service.name</c>).
/// </summary>
internal sealed class GatedProcessor<T> : CompositeProcessor<T>
    where T : class
{
    private readonly EndpointGate _gate;

    public GatedProcessor(EndpointGate gate, BaseProcessor<T> export)
        : base([export]) => _gate = gate;

    public override void OnEnd(T data)
    {
        if (_gate.IsOpen)
            base.OnEnd(data);
    }
}
