using Tessera.Agent.WorkloadAttestation.Unix;

namespace Tessera.Agent.Tests.WorkloadAttestation;

public sealed class ContainerCgroupTests
{
    private const string Id = "3f4e2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f";

    [Theory]
    [InlineData("0::/system.slice/docker-" + Id + ".scope\n", "/system.slice/docker-" + Id + ".scope")]
    [InlineData("0::/kubepods.slice/kubepods-pod1.slice/cri-containerd-" + Id + ".scope\n", "/kubepods.slice/kubepods-pod1.slice/cri-containerd-" + Id + ".scope")]
    [InlineData("0::/machine.slice/libpod-" + Id + ".scope/container\n", "/machine.slice/libpod-" + Id + ".scope/container")]
    [InlineData("0::/kubepods/burstable/pod1/crio-" + Id + ".scope\n", "/kubepods/burstable/pod1/crio-" + Id + ".scope")]
    [InlineData("12:memory:/docker/" + Id + "\n0::/docker/" + Id + "\n", "/docker/" + Id)]
    public void Parse_ContainerPaths_FindsIdAndUnifiedPath(string text, string unified)
    {
        var (path, container) = ContainerCgroup.Parse(text);

        Assert.Equal(unified, path);
        Assert.Equal(Id, container);
    }

    [Theory]
    [InlineData("0::/user.slice/user-1000.slice/session-2.scope\n", "/user.slice/user-1000.slice/session-2.scope")]
    [InlineData("4:memory:/process_api/1b2f2d3eef69ed7cea4f74c335c7f033\n0::/\n", "/")]
    [InlineData("0::/system.slice/docker-" + "3f4e2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2" + ".scope\n", "/system.slice/docker-3f4e2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2.scope")]
    public void Parse_NoContainer_UnifiedPathOnly(string text, string unified)
    {
        var (path, container) = ContainerCgroup.Parse(text);

        Assert.Equal(unified, path);
        Assert.Null(container);
    }
}
