namespace Tessera.Server.Hosting;

/// <summary>Set once the datastore is migrated and the CA is loaded; /healthz/ready reports it.</summary>
internal sealed class ServerReadiness
{
    private volatile bool _ready;

    public bool IsReady => _ready;

    public void MarkReady() => _ready = true;
}
