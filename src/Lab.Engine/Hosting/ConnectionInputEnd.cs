namespace Lab.Engine.Hosting;

/// <summary>Set by <see cref="HalfCloseTransportFactory"/> on each connection: fires when the client's side of the
/// connection ends (its FIN, or the socket failing). The transport cannot tell a half-close from a client that went
/// away; only the request knows which one it is (<see cref="ClientGoneMiddleware"/>).</summary>
public interface IConnectionInputEndFeature
{
    CancellationToken InputEnded { get; }
}
