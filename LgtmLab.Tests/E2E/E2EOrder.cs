using Xunit.Abstractions;
using Xunit.Sdk;

namespace LgtmLab.Tests.E2E;

/// <summary>The position of an end-to-end test in its class: the lab is brought up once, checked, re-run, then deleted.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class E2EOrderAttribute(int position) : Attribute
{
    public int Position { get; } = position;
}

/// <summary>Runs a class's tests by <see cref="E2EOrderAttribute"/>.</summary>
internal sealed class E2EOrderer : ITestCaseOrderer
{
    public const string TypeName = "LgtmLab.Tests.E2E.E2EOrderer";
    public const string AssemblyName = "LgtmLab.Tests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        testCases.OrderBy(t => t.TestMethod.Method.GetCustomAttributes(typeof(E2EOrderAttribute).AssemblyQualifiedName)
            .FirstOrDefault()?.GetConstructorArguments().OfType<int>().FirstOrDefault() ?? int.MaxValue);
}
