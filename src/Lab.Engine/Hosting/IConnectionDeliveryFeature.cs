namespace Lab.Engine.Hosting;

/// <summary>How far a response has reached the client: what the transport has written to the socket, and what of
/// it the client has not read yet (see <see cref="Streams.HijackedStream"/>, which needs the 101 read before the
/// first output byte).</summary>
public interface IConnectionDeliveryFeature
{
    /// <summary>Bytes the transport has written to the socket since the connection opened.</summary>
    long SentBytes { get; }

    /// <summary>Bytes written to the socket that the client has not read yet.</summary>
    int UnreadBytes { get; }
}
