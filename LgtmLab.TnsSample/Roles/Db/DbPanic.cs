namespace LgtmLab.TnsSample.Roles.Db;

/// <summary>What TNS's db does with <c>panic(...)</c>: caught by <see cref="PanicRecoveryMiddleware"/>, logged, 500.</summary>
internal sealed class DbPanic(string message) : Exception(message)
{
    /// <summary>Go's message for <c>db.links[id].Points++</c> on an unknown id.</summary>
    public const string NilPointer = "runtime error: invalid memory address or nil pointer dereference";
}
