using System.Net.Sockets;
using System.Text;

namespace LgtmLab.Tests.Tns;

/// <summary>
/// Sends a request whose body the server refuses part-way: HttpClient fails with "broken pipe" when the
/// server answers and closes before the upload ends; a raw socket still reads the answer.
/// </summary>
internal static class RawHttp
{
    public static async Task<(int Status, string Body)> PostAsync(Uri baseUrl, string path, string contentType, byte[] prefix, int bodyLength)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(baseUrl.Host, baseUrl.Port);
        var stream = client.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: {baseUrl.Authority}\r\nContent-Type: {contentType}\r\nContent-Length: {bodyLength}\r\nConnection: close\r\n\r\n";
        var upload = Task.Run(async () =>
        {
            try
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
                await stream.WriteAsync(prefix);
                var chunk = new byte[64 * 1024];
                Array.Fill(chunk, (byte)'a');
                for (var sent = prefix.Length; sent < bodyLength; sent += chunk.Length)
                    await stream.WriteAsync(chunk.AsMemory(0, Math.Min(chunk.Length, bodyLength - sent)));
            }
            catch (IOException)
            {
                // The server stopped reading: expected.
            }
        });

        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await upload.WaitAsync(TimeSpan.FromSeconds(30));
        var status = int.Parse(response.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        var body = response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        return (status, Dechunk(response, body));
    }

    private static string Dechunk(string response, string body)
    {
        if (!response.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
            return body;
        var result = new StringBuilder();
        var rest = body;
        while (true)
        {
            var lineEnd = rest.IndexOf("\r\n", StringComparison.Ordinal);
            var size = Convert.ToInt32(rest[..lineEnd], 16);
            if (size == 0)
                return result.ToString();
            result.Append(rest.AsSpan(lineEnd + 2, size));
            rest = rest[(lineEnd + 2 + size + 2)..];
        }
    }
}
