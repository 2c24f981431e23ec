namespace Tessera.Spiffe.WorkloadApi.Internal;

/// <summary>Raises a source's <c>Updated</c> event so that a throwing handler cannot stop the others or the watch loop.</summary>
internal static class SourceEvents
{
    public static void Raise(EventHandler? handler, object sender)
    {
        if (handler is null)
        {
            return;
        }

        foreach (var subscriber in handler.GetInvocationList().Cast<EventHandler>())
        {
            try
            {
                subscriber(sender, EventArgs.Empty);
            }
#pragma warning disable CA1031 // A subscriber's bug must not stop identity updates for everyone else.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    /// <summary>Builds the message of a first update that did not come in time, with the last failure when there was one.</summary>
    public static string TimeoutMessage(string what, string socketPath, TimeSpan timeout, Exception? lastError) =>
        $"no {what} from the Workload API at {socketPath} within {timeout.TotalSeconds:0.###}s"
        + (lastError is null ? string.Empty : $" (last error: {lastError.Message})");
}
