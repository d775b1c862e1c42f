using System.Globalization;

namespace LgtmLab.AppHost.Configuration;

/// <summary>
/// What one rendering of a lab-assets template may use (<see cref="LabTemplate"/>): named values for
/// <c>{{ name }}</c>, and blocks for <c>{{ if name }}</c> (kept or dropped) and <c>{{ range name }}</c>
/// (repeated, each time with its own values on top of the outer ones).
/// </summary>
internal sealed class TemplateValues
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<TemplateValues>> _blocks = new(StringComparer.Ordinal);

    public TemplateValues Set(string name, string value)
    {
        _values[name] = value;
        return this;
    }

    public TemplateValues Set(string name, int value) => Set(name, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>A value written as YAML and Alloy write booleans: <c>true</c> or <c>false</c>.</summary>
    public TemplateValues Set(string name, bool value) => Set(name, value ? "true" : "false");

    /// <summary><c>{{ if name }}</c> keeps its lines when <paramref name="on"/>.</summary>
    public TemplateValues If(string name, bool on) => Range(name, on ? [new TemplateValues()] : []);

    /// <summary><c>{{ range name }}</c> renders its lines once per item, in order.</summary>
    public TemplateValues Range(string name, IEnumerable<TemplateValues> items)
    {
        _blocks[name] = [.. items];
        return this;
    }

    public static TemplateValues From(IReadOnlyDictionary<string, string> values)
    {
        var result = new TemplateValues();
        foreach (var (name, value) in values)
            result.Set(name, value);
        return result;
    }

    internal bool TryGetValue(string name, out string value) => _values.TryGetValue(name, out value!);

    internal bool TryGetBlock(string name, out IReadOnlyList<TemplateValues> items) => _blocks.TryGetValue(name, out items!);

    internal IEnumerable<string> ValueNames => _values.Keys;

    internal IEnumerable<string> BlockNames => _blocks.Keys;
}
