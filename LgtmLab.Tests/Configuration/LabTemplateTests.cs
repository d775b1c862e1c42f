using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Lgtm;
using LgtmLab.AppHost.Observability;

namespace LgtmLab.Tests.Configuration;

/// <summary>
/// The lab-assets template syntax: values, if and range blocks, comments; and a broken template stops the lab
/// with the file, the line and the placeholder, for each of the lab's templates.
/// </summary>
public sealed class LabTemplateTests : IDisposable
{
    private readonly string _assets = Path.Combine(Path.GetTempPath(), "lgtmlab-templates-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_assets))
            Directory.Delete(_assets, recursive: true);
    }

    [Fact]
    public void Values_if_and_range_blocks_render_and_their_tag_lines_disappear()
    {
        const string template = "{{/* a comment\n   over lines, with {{ placeholders }} */}}\nlab: {{ lab }}\n{{ if remote }}\nremote: yes\n{{ end }}\nsets:\n{{ range sets }}\n  - {{ name }} of {{ lab }}\n{{ end }}\n";
        var values = new TemplateValues().Set("lab", "lgtm").If("remote", false)
            .Range("sets", [new TemplateValues().Set("name", "a"), new TemplateValues().Set("name", "b")]);

        Assert.Equal("lab: lgtm\nsets:\n  - a of lgtm\n  - b of lgtm\n", LabTemplate.Render(template, values, "t.yaml"));
        Assert.Equal("x: on\n", LabTemplate.Render("x: {{ if on }}on{{ end }}\n", new TemplateValues().If("on", true), "t.yaml"));
    }

    [Theory]
    [InlineData("a: 1\nurl: {{ lokiUrl }}\n", "t.yaml line 2 uses {{ lokiUrl }}, which the lab does not provide there (it provides: cluster")]
    [InlineData("a: 1\n{{ range tenants }}\nx\n", "t.yaml line 2: {{ range tenants }} has no {{ end }}")]
    [InlineData("{{ end }}\n", "t.yaml line 1: {{ end }} closes no")]
    [InlineData("a: 1\nb: {{ cluster\n", "t.yaml line 2: a {{ without its }}")]
    [InlineData("a: {{ cluster | upper }}\n", "t.yaml line 1: {{ cluster | upper }} is not a placeholder")]
    [InlineData("{{ range nothing }}\n{{ end }}\n", "t.yaml line 1 uses {{ range nothing }}, which the lab does not provide there")]
    public void A_broken_template_names_the_file_the_line_and_the_placeholder(string template, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => LabTemplate.Render(template, new TemplateValues().Set("cluster", "c"), "t.yaml"));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> Templates() => new()
    {
        { AlloyConfig.TemplatePath, "  url = \"{{ lokiUrl }}\"", "{{ lokiUrl }}" },
        { GrafanaDatasources.TemplatePath, "x: {{ lokiQueryUrl }}", "{{ lokiQueryUrl }}" },
        { "manifests/" + NamespacesStep.TemplateName, "  namespace: {{ namespace }}", "{{ namespace }}" },
    };

    [Theory]
    [MemberData(nameof(Templates))]
    public void Each_lab_template_with_an_unknown_placeholder_names_itself_and_the_placeholder(string template, string broken, string placeholder)
    {
        var file = Path.Combine(_assets, template);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var text = Observability.LabAssets.Read(template);
        var lines = text.Split('\n').ToList();
        var at = lines.FindIndex(l => l.StartsWith("apiVersion:", StringComparison.Ordinal) || l.StartsWith("discovery.", StringComparison.Ordinal)) + 1;
        lines.Insert(at, broken);
        File.WriteAllText(file, string.Join('\n', lines));
        var assets = new LabAssets(_assets);
        var lab = new LabOptions();

        var error = Assert.Throws<InvalidDataException>(() => template switch
        {
            AlloyConfig.TemplatePath => AlloyConfig.For(lab.EffectiveRemotes[0], lab.Central, assets),
            GrafanaDatasources.TemplatePath => GrafanaDatasources.ProvisioningYaml(lab, assets),
            _ => NamespacesStep.Render(assets, ["observability"], new HashSet<string>()),
        });

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Contains($"line {at + 1}", error.Message, StringComparison.Ordinal);
        Assert.Contains(placeholder, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_template_says_which_file_to_restore()
    {
        var error = Assert.Throws<FileNotFoundException>(() => AlloyConfig.For(new LabOptions().Central, new LabOptions().Central, new LabAssets(_assets)));
        Assert.Contains(Path.Combine(_assets, AlloyConfig.TemplatePath), error.Message, StringComparison.Ordinal);
        Assert.Contains("restore it", error.Message, StringComparison.Ordinal);
    }
}
