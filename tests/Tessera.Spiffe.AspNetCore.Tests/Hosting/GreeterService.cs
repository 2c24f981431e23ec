using Grpc.Core;
using Tessera.Spiffe.AspNetCore.Authentication;
using Tessera.Spiffe.AspNetCore.Tests.Grpc;

namespace Tessera.Spiffe.AspNetCore.Tests.Hosting;

/// <summary>Answers with the caller's SPIFFE ID, as the SpiffeMtls scheme authenticated it.</summary>
internal sealed class GreeterService : Greeter.GreeterBase
{
    public override Task<HelloReply> SayHello(HelloRequest request, ServerCallContext context) =>
        Task.FromResult(new HelloReply { Message = $"hello {request.Name}, you are {context.GetHttpContext().User.FindSpiffeId()}" });
}
