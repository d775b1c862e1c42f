namespace LgtmLab.AppHost.Provisioning;

/// <summary>The steps of a lab as a directed acyclic graph, checked when built: unique ids, known dependencies, no cycles.</summary>
internal sealed class StepGraph
{
    private readonly Dictionary<string, Step> _byId;
    private readonly Dictionary<string, List<Step>> _dependents;

    public StepGraph(IEnumerable<Step> steps)
    {
        var list = steps.ToList();
        _byId = new Dictionary<string, Step>(StringComparer.Ordinal);
        foreach (var step in list)
            if (!_byId.TryAdd(step.Id, step))
                throw new InvalidOperationException($"two steps have the id '{step.Id}'");
        _dependents = list.ToDictionary(s => s.Id, _ => new List<Step>(), StringComparer.Ordinal);
        foreach (var step in list)
            foreach (var dependency in step.DependsOn)
            {
                if (!_dependents.TryGetValue(dependency, out var dependents))
                    throw new InvalidOperationException($"step '{step.Id}' depends on '{dependency}', which is not in the lab");
                dependents.Add(step);
            }
        Steps = TopologicalOrder(list);
    }

    /// <summary>Every step, each after all of its dependencies.</summary>
    public IReadOnlyList<Step> Steps { get; }

    public Step this[string id] => _byId[id];
    public bool Contains(string id) => _byId.ContainsKey(id);

    public IReadOnlyList<Step> DependentsOf(string id) => _dependents[id];

    /// <summary>The given steps and every step that depends on them, directly or not.</summary>
    public IReadOnlySet<string> Downstream(IEnumerable<string> ids)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(ids);
        while (pending.TryPop(out var id))
            if (result.Add(id))
                foreach (var dependent in _dependents[id]) pending.Push(dependent.Id);
        return result;
    }

    /// <summary>
    /// The longest chain of dependencies, first step to last, when each step takes its <paramref name="durations"/>
    /// entry (a step without one takes no time): the shortest makespan any scheduler could reach.
    /// </summary>
    public IReadOnlyList<string> CriticalPath(IReadOnlyDictionary<string, TimeSpan> durations)
    {
        var finish = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        var previous = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var step in Steps)
        {
            var start = TimeSpan.Zero;
            string? last = null;
            foreach (var dependency in step.DependsOn)
                if (last is null || finish[dependency] > start)
                    (start, last) = (finish[dependency], dependency);
            finish[step.Id] = start + durations.GetValueOrDefault(step.Id);
            previous[step.Id] = last;
        }
        var path = new List<string>();
        for (var id = Steps.Select(s => s.Id).MaxBy(id => finish[id]); id is not null; id = previous[id]) path.Add(id);
        path.Reverse();
        return path;
    }

    private List<Step> TopologicalOrder(List<Step> steps)
    {
        var order = new List<Step>(steps.Count);
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 visiting, 2 done
        var path = new Stack<string>();
        void Visit(Step step)
        {
            if (state.TryGetValue(step.Id, out var s))
            {
                if (s == 1)
                    throw new InvalidOperationException($"the steps depend on each other in a cycle: {string.Join(" -> ", path.Reverse().SkipWhile(p => p != step.Id))} -> {step.Id}");
                return;
            }
            state[step.Id] = 1;
            path.Push(step.Id);
            foreach (var dependency in step.DependsOn) Visit(_byId[dependency]);
            path.Pop();
            state[step.Id] = 2;
            order.Add(step);
        }
        foreach (var step in steps) Visit(step);
        return order;
    }
}
