using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// The benchmark references the whole AppHost, whose Release build takes longer than BenchmarkDotNet's default 2 minutes here.
var config = ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(15));
BenchmarkSwitcher.FromAssembly(typeof(PkiTiming.PkiBenchmarks).Assembly).Run(args, config);
