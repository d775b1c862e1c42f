using LgtmLab.AppHost.Configuration;

namespace LgtmLab.AppHost.Steps;

/// <summary>Fills <c>{{ name }}</c> placeholders of a lab-assets manifest (<see cref="LabTemplate"/>); a placeholder without a value is an error.</summary>
internal static class ManifestTemplate
{
    public static string Render(string template, IReadOnlyDictionary<string, string> variables, string source) =>
        LabTemplate.Render(template, TemplateValues.From(variables), source);
}
