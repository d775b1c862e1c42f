namespace LgtmLab.Tests.Scripting;

/// <summary>
/// The command lines of the README's "Scripting the lab with the aspire CLI", as written there (run from the
/// repository root); <see cref="ReadmeScriptTests"/> checks that the README still shows each one.
/// </summary>
internal static class ReadmeScript
{
    public const string Start = "dotnet aspire start --apphost LgtmLab.AppHost";
    public const string WaitForLab = "dotnet aspire wait lgtm --apphost LgtmLab.AppHost --timeout 1800";
    public const string DescribeCentral = "dotnet aspire describe lgtm-central --apphost LgtmLab.AppHost --format Json";
    public const string LogsOfCentral = "dotnet aspire logs lgtm-central --apphost LgtmLab.AppHost";
    public const string DeleteLab = "dotnet aspire resource lgtm lab-delete-lab --apphost LgtmLab.AppHost";
    public const string Stop = "dotnet aspire stop --apphost LgtmLab.AppHost";

    public static IReadOnlyList<string> All => [Start, WaitForLab, DescribeCentral, LogsOfCentral, DeleteLab, Stop];
}
