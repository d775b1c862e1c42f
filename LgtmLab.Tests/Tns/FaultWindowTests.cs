using System.Diagnostics;
using System.Net;
using LgtmLab.TnsSample.Roles.Db;

namespace LgtmLab.Tests.Tns;

[Collection(TnsCollection.Name)]
public sealed class FaultWindowTests
{
    [Fact]
    public async Task With_the_window_open_most_fetches_fail_after_50ms_with_a_500()
    {
        var env = new Dictionary<string, string> { ["Tns__Db__FaultWindow"] = "always" };
        await using var db = await TnsProcess.StartAsync("db", env: env);
        using var http = new HttpClient();

        var failures = 0;
        for (var i = 0; i < 20; i++)
        {
            var watch = Stopwatch.StartNew();
            var response = await http.GetAsync(db.Url + "/");
            if (response.StatusCode == HttpStatusCode.InternalServerError)
            {
                failures++;
                Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(45), $"a failed fetch took only {watch.Elapsed.TotalMilliseconds} ms");
                Assert.Equal("", await response.Content.ReadAsStringAsync());
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }

        // 90% fail: fewer than 12 of 20 has a probability below 1e-4.
        Assert.InRange(failures, 12, 20);
        // One handlePanic line per failure (the console logger writes them asynchronously: wait for the last).
        await db.WaitUntilAsync(lines => lines.Count(l => l is "level=error err=\"too many open connections\"" or "level=error err=\"query lock timeout\"") == failures);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(29, true)]
    [InlineData(30, false)]
    [InlineData(299, false)]
    [InlineData(300, true)]
    public void The_schedule_opens_the_first_30_seconds_of_every_epoch_aligned_5_minutes(int secondsIntoWindow, bool open)
    {
        var clock = new FixedClock(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000 - (1_800_000_000 % 300) + secondsIntoWindow));

        Assert.Equal(open, new FaultWindow(FaultWindowMode.Schedule, clock, new Random(1)).IsOpen);
    }

    [Fact]
    public void In_the_window_rand_intn_10_at_most_8_fails_and_picks_the_panic_message()
    {
        var clock = new FixedClock(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000 - (1_800_000_000 % 300)));

        Assert.Null(new FaultWindow(FaultWindowMode.Schedule, clock, new ScriptedRandom(9)).NextFault());
        Assert.Equal("too many open connections", new FaultWindow(FaultWindowMode.Schedule, clock, new ScriptedRandom(8, 4)).NextFault());
        Assert.Equal("query lock timeout", new FaultWindow(FaultWindowMode.Schedule, clock, new ScriptedRandom(0, 5)).NextFault());
        Assert.Null(new FaultWindow(FaultWindowMode.Never, clock, new ScriptedRandom(0, 0)).NextFault());
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class ScriptedRandom(params int[] values) : Random
    {
        private int _next;

        public override int Next(int maxValue) => values[_next++];
    }
}
