namespace LgtmLab.Tests.Fakes;

/// <summary>The fake `linkerd`: version only for now (the lab installs Linkerd with Helm; checks and links come later).</summary>
internal sealed class LinkerdCli(FakeToolbox toolbox)
{
    public int Run(FakeCall call)
    {
        var line = CommandLine.Parse(call.Args, new HashSet<string> { "--context", "--kubeconfig", "-n", "--namespace", "-L", "--linkerd-namespace", "-o", "--output" });
        if (line.Positionals is not ["version"]) return toolbox.NotImplemented(call);
        var version = toolbox.Versions.Tool("linkerd").Version;
        if (line.Has("--short") && line.Has("--client")) { call.OutLine(version); return 0; }
        call.OutLine(line.Has("--short") ? version : $"Client version: {version}");
        if (!line.Has("--client")) call.OutLine(line.Has("--short") ? "unavailable" : "Server version: unavailable");
        return 0;
    }
}
