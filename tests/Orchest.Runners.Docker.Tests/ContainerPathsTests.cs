using Orchest.Engine.Ports;
using Orchest.Pipelines;
using Orchest.Testing;

namespace Orchest.Runners.Docker.Tests;

public sealed class ContainerPathsTests : IDisposable
{
    private readonly TempProject _project = new("paths");

    [Fact]
    public void Map_PathsUnderWorkspaceAndData_MapToProjectDirAndData()
    {
        var launch = StepLaunches.For(_project, "steps/a.py", StepFileKind.Python) with { DataDirectory = Path.Combine(_project.Root, "data") };
        var paths = ContainerPaths.For(launch);

        Assert.Equal("/project-dir/steps/a.py", paths.Map(launch.StepFile));
        Assert.Equal("/project-dir", paths.Map(_project.Root));
        Assert.Equal("/data/x/y.csv", paths.Map(Path.Combine(_project.Root, "data", "x", "y.csv")));
        Assert.Equal(2, paths.Mounts.Count);
    }

    [Fact]
    public void For_FoldersOutsideTheWorkspace_MountsThemUnderHostPrefixInputsReadOnly()
    {
        var elsewhere = Path.Combine(Path.GetTempPath(), "orchest-tests", "store-" + Guid.NewGuid().ToString("n"));
        var launch = StepLaunches.For(_project, "a.py", StepFileKind.Python);
        launch = launch with
        {
            DataDirectory = "/srv/shared-data",
            Context = launch.Context with
            {
                Output = StepLocation.Directory(Path.Combine(elsewhere, "out")),
                Inputs = [new StepInput("p", "P", StepLocation.Directory(Path.Combine(elsewhere, "in"))), new StepInput("q", "Q", null)],
            },
        };

        var paths = ContainerPaths.For(launch);

        Assert.Equal("/data", paths.Map("/srv/shared-data"));
        Assert.Equal("/orchest/host" + elsewhere + "/out/f.data", paths.Map(Path.Combine(elsewhere, "out", "f.data")));
        Assert.Contains($"{elsewhere}/in:/orchest/host{elsewhere}/in:ro", paths.Binds());
        Assert.Contains($"{elsewhere}/out:/orchest/host{elsewhere}/out:rw", paths.Binds());
        Assert.Throws<InvalidOperationException>(() => paths.Map("/etc/passwd"));
    }

    [Fact]
    public void Map_SiblingWithSamePrefix_IsNotInsideTheMount()
    {
        var paths = ContainerPaths.For(StepLaunches.For(_project, "a.py", StepFileKind.Python));

        Assert.Throws<InvalidOperationException>(() => paths.Map(_project.Root + "-other/file"));
    }

    public void Dispose() => _project.Dispose();
}
