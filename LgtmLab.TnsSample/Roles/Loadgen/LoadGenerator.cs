using LgtmLab.TnsSample.Http;
using LgtmLab.TnsSample.Logging;

namespace LgtmLab.TnsSample.Roles.Loadgen;

/// <summary>
/// TNS's load pattern against the first app URL: ten workers each GET <c>/</c> after a random 0-2 s pause
/// (about ten requests a second), and one poster that every second prints a random story and its form on stdout
/// and POSTs it to <c>/post</c>, following the redirect back to <c>/</c>.
/// </summary>
internal sealed class LoadGenerator(Uri app, TnsHttpClient client, ILoggerFactory loggerFactory) : BackgroundService
{
    private const int Workers = 10;
    private readonly ILogger _logger = loggerFactory.CreateLogger(TnsLog.Category);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = Enumerable.Range(0, Workers).Select(_ => Task.Run(() => BrowseAsync(stoppingToken), stoppingToken)).ToList();
        loops.Add(Task.Run(() => PostAsync(stoppingToken), stoppingToken));
        return Task.WhenAll(loops);
    }

    private async Task BrowseAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(2000)), stoppingToken);
                await SendAsync(new HttpRequestMessage(HttpMethod.Get, app), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task PostAsync(CancellationToken stoppingToken)
    {
        using var ticker = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await ticker.WaitForNextTickAsync(stoppingToken))
            {
                var story = Stories.All[Random.Shared.Next(Stories.All.Count)];
                var form = story.FormEncoded();
                // Plain lines, not logfmt: TNS prints them with fmt.Println.
                await Console.Out.WriteLineAsync(story.ToString());
                await Console.Out.WriteLineAsync(form);
                var request = new HttpRequestMessage(HttpMethod.Post, app.OriginalString + "/post")
                {
                    Content = new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
                };
                request.Content.Headers.ContentType!.CharSet = null;
                await SendAsync(request, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SendAsync(HttpRequestMessage request, CancellationToken stoppingToken)
    {
        try
        {
            using var response = await client.SendAsync(request, stoppingToken);
        }
        catch (TnsClientError e)
        {
            _logger.Logfmt(LogLevel.Error, ("msg", "error doing request"), ("err", e.Message));
        }
    }
}
