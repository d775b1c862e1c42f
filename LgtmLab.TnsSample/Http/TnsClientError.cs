namespace LgtmLab.TnsSample.Http;

/// <summary>A request that got no response, with Go's <c>url.Error</c> text: <c>Get "http://db": ...</c>.</summary>
internal sealed class TnsClientError(string message, Exception inner) : Exception(message, inner);
