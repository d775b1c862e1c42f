using LgtmLab.AppHost.Configuration;
using LgtmLab.AppHost.Lgtm;
using LgtmLab.AppHost.Mesh;
using LgtmLab.AppHost.Provisioning;
using LgtmLab.AppHost.Tns;
using LgtmLab.AppHost.Workloads;

namespace LgtmLab.AppHost.Hosting;

/// <summary>Turns the app model's lab into the engine's input when the app starts: the validated topology of the
/// clusters the verbs added, the parts they asked for, and the controller that provisions them.</summary>
internal static class LabControllerFactory
{
    public static ILabController Create(LabModel model, LabControllerOptions options)
    {
        var topology = LabTopology.Resolve(OptionsOf(model));
        // TNS and the user's workloads after the mesh and the stack: they depend on Linkerd's control plane and Alloy.
        IReadOnlyList<ILabPlanContribution> contributions = options.Contributions.Count > 0 ? options.Contributions :
            [new MeshContribution(), new LgtmContribution(), new TnsContribution(remotes: model.TnsRemotes), new WorkloadContribution(model.Workloads)];
        return new LabController(topology, options with
        {
            Contributions = contributions,
            GrafanaAdminPassword = options.GrafanaAdminPassword
                ?? (model.GrafanaAdminPassword is { } password ? password.GetValueAsync : null),
        });
    }

    /// <summary>The <c>Lab</c> section with the clusters and parts of the app model.</summary>
    public static LabOptions OptionsOf(LabModel model)
    {
        var options = model.Options;
        if (model.Central is null)
            throw new LabConfigurationException([new ConfigurationError("Lab", "the lab has no central cluster", "add one in Program.cs: lab.AddCentral()")]);
        if (!model.Remotes.Any())
            throw new LabConfigurationException([new ConfigurationError("Lab:Remotes", "the lab has no remote cluster", "add one in Program.cs: lab.AddRemote(\"lgtm-remote\") or lab.AddRemotes()")]);
        options.Remotes = [.. model.Remotes.Select(r => LabPartsBuilderExtensions.RemoteOptions(options, r.Name))];
        options.Components.Linkerd &= model.LinkedRemotes.Count > 0;
        options.Components.Lgtm &= model.HasLgtmStack;
        options.Components.Tns &= model.TnsRemotes.Count > 0;
        return options;
    }
}
