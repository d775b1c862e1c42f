using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

// Usage: FieldRenamer <project.csproj>... (in dependency order). Renames every private or internal field that is
// neither const nor static readonly to _camelCase, with every reference the compiler binds to it (crefs too).
// References from a later project to an internal field renamed in an earlier one are renamed as well.
var renamedInternal = new Dictionary<(string Type, string Name), string>();
var total = 0;
foreach (var project in args)
    total += await RenameAsync(Path.GetFullPath(project), renamedInternal);
Console.WriteLine($"renamed {total} fields");
return 0;

static async Task<int> RenameAsync(string project, Dictionary<(string Type, string Name), string> renamedInternal)
{
    var items = await MsBuildItemsAsync(project);
    var symbols = items.GetProperty("Properties").GetProperty("DefineConstants").GetString()!.Split(';', StringSplitOptions.RemoveEmptyEntries);
    var parse = new CSharpParseOptions(LanguageVersion.Preview, preprocessorSymbols: symbols);
    var sources = Paths(items, "Compile");
    var trees = sources.Select(p => CSharpSyntaxTree.ParseText(SourceText.From(File.ReadAllText(p), Encoding.UTF8), parse, p)).ToList();
    var references = Paths(items, "ReferencePathWithRefAssemblies").Select(p => MetadataReference.CreateFromFile(p));
    var exe = items.GetProperty("Properties").GetProperty("OutputType").GetString() is "Exe";
    var compilation = (Compilation)CSharpCompilation.Create(Path.GetFileNameWithoutExtension(project), trees, references,
        new CSharpCompilationOptions(exe ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    // Source generators (regex, logging, Aspire's Projects, ...), so members they complete bind.
    var loader = new AssemblyLoader();
    var generators = Paths(items, "Analyzer").SelectMany(p => new AnalyzerFileReference(p, loader).GetGenerators(LanguageNames.CSharp)).ToList();
    CSharpGeneratorDriver.Create(generators, parseOptions: parse).RunGeneratorsAndUpdateCompilation(compilation, out compilation, out _);

    var mine = trees.Where(t => !IsGenerated(t.FilePath)).ToList();
    var renames = new Dictionary<IFieldSymbol, string>(SymbolEqualityComparer.Default);
    foreach (var tree in mine)
    {
        var model = compilation.GetSemanticModel(tree);
        foreach (var declarator in (await tree.GetRootAsync()).DescendantNodes().OfType<VariableDeclaratorSyntax>())
        {
            if (model.GetDeclaredSymbol(declarator) is not IFieldSymbol field || !Violates(field))
                continue;
            var name = "_" + char.ToLowerInvariant(field.Name.TrimStart('_')[0]) + field.Name.TrimStart('_')[1..];
            if (field.ContainingType.GetMembers(name).Any())
            {
                Console.Error.WriteLine($"skipped {field.ContainingType.Name}.{field.Name}: {name} exists");
                continue;
            }
            renames[field] = name;
        }
    }

    foreach (var tree in mine)
    {
        var model = compilation.GetSemanticModel(tree);
        var root = await tree.GetRootAsync();
        var changes = new List<TextChange>();
        foreach (var token in root.DescendantTokens(descendIntoTrivia: true).Where(t => t.IsKind(SyntaxKind.IdentifierToken)))
        {
            var newName = token.Parent switch
            {
                VariableDeclaratorSyntax d when model.GetDeclaredSymbol(d) is IFieldSymbol f => NewName(f),
                IdentifierNameSyntax n => model.GetSymbolInfo(n) is var info && (info.Symbol ?? info.CandidateSymbols.FirstOrDefault()) is IFieldSymbol f ? NewName(f) : null,
                _ => null,
            };
            if (newName is null || newName == token.ValueText)
                continue;
            // `this.name = name` becomes `_name = name`: with the prefix, `this.` no longer tells them apart.
            var span = token.Parent is IdentifierNameSyntax { Parent: MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access } name && access.Name == name
                ? access.Span
                : token.Span;
            changes.Add(new TextChange(span, newName));
        }
        if (changes.Count == 0)
            continue;
        var text = (await tree.GetTextAsync()).WithChanges(changes);
        var bom = File.ReadAllBytes(tree.FilePath).AsSpan().StartsWith(Encoding.UTF8.Preamble);
        await File.WriteAllTextAsync(tree.FilePath, text.ToString(), new UTF8Encoding(bom));
        Console.WriteLine($"{Path.GetRelativePath(Environment.CurrentDirectory, tree.FilePath)}: {changes.Count} renamed");
    }

    foreach (var (field, name) in renames.Where(r => r.Key.DeclaredAccessibility is Accessibility.Internal))
        renamedInternal[(field.ContainingType.ToDisplayString(), field.Name)] = name;
    return renames.Count;

    string? NewName(IFieldSymbol field) =>
        renames.TryGetValue(field.OriginalDefinition, out var name) ? name
        : renamedInternal.TryGetValue((field.ContainingType.OriginalDefinition.ToDisplayString(), field.Name), out var other) ? other
        : null;
}

// The .editorconfig's private_fields rule: private/internal fields other than constants and static readonly ones.
static bool Violates(IFieldSymbol field) =>
    !field.IsImplicitlyDeclared && !field.IsConst && !(field.IsStatic && field.IsReadOnly)
    && field.DeclaredAccessibility is Accessibility.Private or Accessibility.Internal or Accessibility.ProtectedAndInternal
    && !(field.Name.Length > 1 && field.Name[0] == '_' && char.IsLower(field.Name[1]));

static bool IsGenerated(string path) =>
    path.Contains("/obj/", StringComparison.Ordinal) || path.EndsWith(".g.cs", StringComparison.Ordinal);

static IEnumerable<string> Paths(JsonElement items, string item) =>
    items.GetProperty("Items").TryGetProperty(item, out var list)
        ? list.EnumerateArray().Select(i => i.GetProperty("FullPath").GetString()!).Distinct()
        : [];

static async Task<JsonElement> MsBuildItemsAsync(string project)
{
    var start = new ProcessStartInfo("dotnet", ["msbuild", project, "-nologo", "-t:FindReferenceAssembliesForReferences",
        "-getItem:Compile", "-getItem:ReferencePathWithRefAssemblies", "-getItem:Analyzer",
        "-getProperty:DefineConstants", "-getProperty:OutputType"])
    { RedirectStandardOutput = true };
    using var process = Process.Start(start)!;
    var json = await process.StandardOutput.ReadToEndAsync();
    await process.WaitForExitAsync();
    if (process.ExitCode != 0)
        throw new InvalidOperationException($"dotnet msbuild {project} failed ({process.ExitCode}); build it first:\n{json}");
    return JsonDocument.Parse(json).RootElement.Clone();
}

internal sealed class AssemblyLoader : IAnalyzerAssemblyLoader
{
    public void AddDependencyLocation(string fullPath)
    {
    }

    public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
}
