namespace LgtmLab.Tests.Fakes;

/// <summary>
/// kubectl v1.35.2's command tree and flags as far as the fake answers it, transcribed from the real kubectl's
/// `kubectl options` and `kubectl &lt;cmd&gt; --help` (checked by <c>KubectlFlagsTests</c> against the real kubectl).
/// The commands the fake answers are transcribed whole; their siblings are known by name only. Flags with a
/// NoOptDefVal (--dry-run, --cascade, --validate) are listed as boolean: "--dry-run" or "--dry-run=server".
/// </summary>
internal static class KubectlFlags
{
    public static CobraCommand Root { get; } = new("kubectl")
    {
        // kubectl v1.35.2 `kubectl options`
        Persistent = FlagSet.Of(
            ["--as", "--as-group", "--as-uid", "--as-user-extra", "--cache-dir", "--certificate-authority", "--client-certificate", "--client-key",
             "--cluster", "--context", "--kubeconfig", "--kuberc", "--log-flush-frequency", "-n", "--namespace", "--password", "--profile",
             "--profile-output", "--request-timeout", "-s", "--server", "--tls-server-name", "--token", "--user", "--username", "-v", "--v",
             "--vmodule"],
            ["--disable-compression", "--insecure-skip-tls-verify", "--match-server-version", "--warnings-as-errors"]),
        Subcommands =
        [
            // kubectl v1.35.2 `kubectl --help` (and cobra's help)
            .. new[]
            {
                "create", "expose", "run", "set", "explain", "get", "edit", "rollout", "scale", "autoscale", "certificate", "cluster-info",
                "top", "cordon", "uncordon", "drain", "taint", "describe", "logs", "attach", "exec", "port-forward", "proxy", "cp", "auth",
                "debug", "events", "diff", "patch", "replace", "wait", "kustomize", "label", "annotate", "completion", "alpha",
                "api-resources", "api-versions", "plugin", "help",
            }.Select(n => CobraCommand.NameOnly(n)),
            // kubectl v1.35.2 `kubectl version --help`
            new("version") { Flags = FlagSet.Of(["-o", "--output"], ["--client"]) },
            // kubectl v1.35.2 `kubectl apply --help`
            new("apply")
            {
                Flags = FlagSet.Of(
                    ["--field-manager", "-f", "--filename", "--grace-period", "-k", "--kustomize", "-o", "--output", "--prune-allowlist", "-l",
                     "--selector", "--subresource", "--template", "--timeout"],
                    ["--all", "--allow-missing-template-keys", "--cascade", "--dry-run", "--force", "--force-conflicts", "--openapi-patch",
                     "--overwrite", "--prune", "-R", "--recursive", "--server-side", "--show-managed-fields", "--validate", "--wait"]),
            },
            // kubectl v1.35.2 `kubectl delete --help` (tests take a workload away with it)
            new("delete")
            {
                Flags = FlagSet.Of(
                    ["--field-selector", "-f", "--filename", "--grace-period", "-k", "--kustomize", "-o", "--output", "--raw", "-l", "--selector",
                     "--timeout"],
                    ["--all", "-A", "--all-namespaces", "--cascade", "--dry-run", "--force", "--ignore-not-found", "-i", "--interactive", "--now",
                     "-R", "--recursive", "--wait"]),
            },
            // kubectl v1.35.2 `kubectl config --help`: its own --kubeconfig (the same as the global one)
            new("config")
            {
                Persistent = FlagSet.Of(["--kubeconfig"], []),
                Subcommands =
                [
                    .. new[]
                    {
                        "current-context", "delete-cluster", "delete-user", "get-clusters", "get-contexts", "get-users", "rename-context", "set",
                        "set-cluster", "set-context", "set-credentials", "view",
                    }.Select(n => CobraCommand.NameOnly(n)),
                    // kubectl v1.35.2 `kubectl config delete-context --help`: no flags of its own
                    new("delete-context"),
                    // kubectl v1.35.2 `kubectl config use-context --help`: alias use, no flags of its own
                    new("use-context") { Aliases = ["use"] },
                    // kubectl v1.35.2 `kubectl config unset --help`: no flags of its own
                    new("unset"),
                ],
            },
        ],
    };

    /// <summary>Every transcribed command with its words (for the test that the real kubectl accepts each flag).</summary>
    public static IEnumerable<(string[] Command, FlagSet Flags)> Commands()
    {
        IEnumerable<(string[], FlagSet)> Walk(CobraCommand command, string[] words, FlagSet inherited)
        {
            var persistent = inherited.With(command.Persistent);
            if (words.Length > 0) yield return (words, command.Flags.With(persistent));
            foreach (var child in command.Subcommands.Where(c => c.Transcribed))
                foreach (var found in Walk(child, [.. words, child.Name], persistent))
                    yield return found;
        }

        return Walk(Root, [], FlagSet.Of([], []));
    }
}
