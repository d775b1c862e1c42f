using System.Text.Json.Nodes;

namespace LgtmLab.Tests.Fakes.Kubernetes;

/// <summary>An answer of the fake API server: HTTP status and JSON body (an object, a list or a Status).</summary>
internal sealed record ApiResult(int StatusCode, JsonNode Body)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>The message of a Status body (what kubectl prints after "Error from server (Reason): ").</summary>
    public string Message => (string?)Body["message"] ?? "";

    public string Reason => (string?)Body["reason"] ?? "";

    public static ApiResult Ok(JsonNode body) => new(200, body);

    public static ApiResult Created(JsonNode body) => new(201, body);

    /// <summary>A metav1.Status failure, as the real API server writes it.</summary>
    public static ApiResult Failure(int code, string reason, string message, string? name = null, string? kind = null, string? group = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (name is not null || kind is not null)
        {
            var details = new JsonObject();
            if (name is not null) details["name"] = name;
            if (group is { Length: > 0 }) details["group"] = group;
            if (kind is not null) details["kind"] = kind;
            status["details"] = details;
        }
        status["code"] = code;
        return new ApiResult(code, status);
    }

    public static ApiResult NotFound(ResourceType type, string name) =>
        Failure(404, "NotFound", $"{Qualified(type)} \"{name}\" not found", name, type.Plural, type.Group);

    public static ApiResult NoSuchResource() =>
        Failure(404, "NotFound", "the server could not find the requested resource");

    public static ApiResult AlreadyExists(ResourceType type, string name) =>
        Failure(409, "AlreadyExists", $"{Qualified(type)} \"{name}\" already exists", name, type.Plural, type.Group);

    public static ApiResult Conflict(ResourceType type, string name) =>
        Failure(409, "Conflict",
            $"Operation cannot be fulfilled on {Qualified(type)} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            name, type.Plural, type.Group);

    public static ApiResult BadRequest(string message) => Failure(400, "BadRequest", message);

    public static ApiResult Invalid(ResourceType type, string name, string message) =>
        Failure(422, "Invalid", $"{type.Kind} \"{name}\" is invalid: {message}", name, type.Kind, type.Group);

    public static ApiResult Deleted(ResourceType type, JsonObject obj) => Ok(new JsonObject
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["details"] = new JsonObject
        {
            ["name"] = (string?)obj["metadata"]?["name"],
            ["group"] = type.Group.Length == 0 ? null : type.Group,
            ["kind"] = type.Plural,
            ["uid"] = (string?)obj["metadata"]?["uid"],
        },
    });

    private static string Qualified(ResourceType type) => type.Group.Length == 0 ? type.Plural : $"{type.Plural}.{type.Group}";
}
