namespace LgtmLab.Tests.Fakes;

/// <summary>
/// Which invocations change the lab (clusters, kubeconfig, releases, objects, routes, local helm repos):
/// what "a warm re-run issues zero mutating commands" counts. Unknown verbs count as mutating, so an
/// unclassified call can never hide in an idempotency test.
/// </summary>
internal static class MutatingCommands
{
    private static readonly string[] KubectlReadOnly =
        ["get", "describe", "version", "wait", "logs", "explain", "api-resources", "api-versions", "cluster-info", "top", "diff", "auth", "events"];

    private static readonly string[] KubectlConfigReadOnly = ["view", "get-contexts", "current-context", "get-clusters", "get-users"];

    private static readonly string[] HelmReadOnly =
        ["list", "ls", "status", "get", "history", "hist", "version", "template", "show", "inspect", "search", "lint", "env", "completion", "verify"];

    public static bool IsMutating(string tool, IReadOnlyList<string> args)
    {
        var words = Verbs(tool, args);
        var verb = words.ElementAtOrDefault(0) ?? "";
        return tool switch
        {
            "docker" => verb switch
            {
                "exec" => IsMutatingExec(args),
                "info" or "version" or "inspect" or "ps" or "images" or "logs" or "" => false,
                "network" or "image" or "container" or "volume" => words.ElementAtOrDefault(1) is not ("inspect" or "ls" or "list"),
                _ => true,
            },
            "kind" => verb is "create" or "delete" or "load" || (verb == "export" && words.ElementAtOrDefault(1) == "kubeconfig"),
            "kubectl" => verb switch
            {
                "config" => !KubectlConfigReadOnly.Contains(words.ElementAtOrDefault(1)),
                "rollout" => words.ElementAtOrDefault(1) is not ("status" or "history"),
                "" => false,
                _ => !KubectlReadOnly.Contains(verb),
            },
            "helm" => verb switch
            {
                "repo" => words.ElementAtOrDefault(1) is not "list" and not "ls",
                "plugin" => words.ElementAtOrDefault(1) is not "list" and not "ls",
                "" => false,
                _ => !HelmReadOnly.Contains(verb),
            },
            // linkerd prints manifests (install, upgrade, mc link-gen) that kubectl applies; it never writes itself.
            "linkerd" => false,
            "dotnet" => args is not (["--version"] or ["--info"]),
            _ => true,
        };
    }

    /// <summary>The leading non-flag words, skipping the values of global flags that take one.</summary>
    internal static List<string> Verbs(string tool, IReadOnlyList<string> args)
    {
        string[] valueFlags = tool switch
        {
            "kubectl" => ["--context", "--kubeconfig", "-n", "--namespace", "--cluster", "--user", "-s", "--server", "--request-timeout", "-v"],
            "helm" => ["--kube-context", "--kubeconfig", "-n", "--namespace", "--registry-config", "--repository-config", "--repository-cache"],
            "kind" or "docker" => ["--context", "-H", "--host", "--config", "-l", "--log-level", "-v", "--verbosity"],
            _ => [],
        };
        var words = new List<string>();
        for (var i = 0; i < args.Count && words.Count < 2; i++)
        {
            if (args[i].StartsWith('-'))
            {
                if (valueFlags.Contains(args[i])) i++;
                continue;
            }
            words.Add(args[i]);
            if (tool == "docker" && words.Count == 1 && args[i] == "exec") break;
        }
        return words;
    }

    private static bool IsMutatingExec(IReadOnlyList<string> args)
    {
        if (args.Contains("crictl"))
            return args.SkipWhile(a => a != "crictl").Skip(1).FirstOrDefault(a => !a.StartsWith('-')) is not ("images" or "image" or "img" or "inspecti" or "ps" or "info" or "version");
        var at = args.ToList().IndexOf("ip");
        if (at < 0) return true;
        var rest = args.Skip(at + 1).Where(a => !a.StartsWith('-')).ToList();
        return rest.ElementAtOrDefault(0) is "route" or "r" or "ro" or "rou" && rest.ElementAtOrDefault(1) is "add" or "replace" or "del" or "delete" or "change" or "append" or "flush";
    }
}
