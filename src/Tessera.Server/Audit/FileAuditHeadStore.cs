using System.Globalization;
using System.Text;
using Tessera.Hosting.Files;

namespace Tessera.Server.Audit;

/// <summary>The audit head as one line <c>&lt;sequence&gt; &lt;hash&gt;</c> in a file (0600, replaced atomically).</summary>
internal sealed class FileAuditHeadStore(string path) : IAuditHeadStore
{
    public AuditHead? Read()
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        var parts = text.Trim().Split(' ');
        return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) && sequence > 0 && parts[1].Length > 0
            ? new AuditHead(sequence, parts[1])
            : throw new InvalidDataException($"audit head file '{path}' is not '<sequence> <hash>'");
    }

    public Task WriteAsync(AuditHead head, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(head);
        return AtomicFile.WriteAsync(path, Encoding.ASCII.GetBytes($"{head.Sequence.ToString(CultureInfo.InvariantCulture)} {head.Hash}\n"), cancellationToken);
    }
}
