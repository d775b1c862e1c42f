namespace LgtmLab.Tests;
public class SmokeTests { [Fact] public void Builds() => Assert.True(typeof(Projects.LgtmLab_AppHost) is not null); }
