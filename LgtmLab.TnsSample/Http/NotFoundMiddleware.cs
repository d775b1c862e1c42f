namespace LgtmLab.TnsSample.Http;

/// <summary>A path no route matches gets Go's <c>404 page not found</c> (and the route label <c>other</c>).</summary>
internal sealed class NotFoundMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context) =>
        context.GetEndpoint() is null ? GoHttp.Error(context.Response, "404 page not found", StatusCodes.Status404NotFound) : next(context);
}
