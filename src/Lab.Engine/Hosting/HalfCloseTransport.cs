using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Lab.Engine.Hosting;

/// <summary>Kestrel's transport for the engine's unix socket, differing from the built-in socket transport in one
/// way that Docker clients need: a client that half-closes (shutdown(SHUT_WR), as the docker CLI does on an attach
/// or exec without stdin) only ends the input. Kestrel's own transport reports that FIN as the connection closing,
/// which aborts the response — the container's output would never reach the client. Here the connection counts as
/// closed only once the response side is done or the socket fails. The client's FIN is still reported, through
/// <see cref="IConnectionInputEndFeature"/>, so that requests which are not hijacked streams end on it as in dockerd
/// (<see cref="ClientGoneMiddleware"/>).</summary>
public sealed class HalfCloseTransportFactory : IConnectionListenerFactory
{
    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        if (endpoint is not UnixDomainSocketEndPoint unix)
            throw new NotSupportedException($"the engine listens on a unix socket only, not {endpoint}");
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(unix);
        socket.Listen(512);
        return ValueTask.FromResult<IConnectionListener>(new Listener(socket, unix));
    }

    sealed class Listener(Socket socket, EndPoint endpoint) : IConnectionListener
    {
        public EndPoint EndPoint => endpoint;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            try
            {
                var accepted = await socket.AcceptAsync(cancellationToken);
                return new Connection(accepted, endpoint);
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException { SocketErrorCode: SocketError.OperationAborted })
            {
                return null; // unbound
            }
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            socket.Dispose();
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            socket.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    sealed class Connection : ConnectionContext, IConnectionSocketFeature, IConnectionItemsFeature, IConnectionLifetimeFeature,
        IConnectionInputEndFeature, IConnectionDeliveryFeature
    {
        readonly Socket _socket;
        readonly Pipe _input = new(new PipeOptions(useSynchronizationContext: false));
        readonly Pipe _output = new(new PipeOptions(useSynchronizationContext: false));
        readonly CancellationTokenSource _closed = new();
        // Never disposed: requests link to its token until they end, possibly after the connection is disposed; a
        // source without a timer holds nothing that needs disposing.
        readonly CancellationTokenSource _inputEnded = new();
        readonly Task _receiving;
        readonly UpgradeBodyRewriter _rewriter = new();
        readonly Task _sending;
        long _sentBytes;

        public Connection(Socket socket, EndPoint endpoint)
        {
            _socket = socket;
            LocalEndPoint = endpoint;
            Transport = new DuplexPipe(_input.Reader, _output.Writer);
            Features.Set<IConnectionSocketFeature>(this);
            Features.Set<IConnectionItemsFeature>(this);
            Features.Set<IConnectionLifetimeFeature>(this);
            Features.Set<IConnectionInputEndFeature>(this);
            Features.Set<IConnectionDeliveryFeature>(this);
            Features.Set<IConnectionIdFeature>(new IdFeature { ConnectionId = ConnectionId });
            _receiving = ReceiveAsync();
            _sending = SendAsync();
        }

        public Socket Socket => _socket;
        public override string ConnectionId { get; set; } = Guid.NewGuid().ToString("N");
        public override IFeatureCollection Features { get; } = new FeatureCollection();
        public override IDictionary<object, object?> Items { get; set; } = new ConnectionItems();
        public override IDuplexPipe Transport { get; set; }
        public override CancellationToken ConnectionClosed { get => _closed.Token; set { } }
        public CancellationToken InputEnded => _inputEnded.Token;
        public long SentBytes => Interlocked.Read(ref _sentBytes);
        public int UnreadBytes => Lab.Runtime.Native.SocketQueue.Unread(_socket.SafeHandle);

        async Task ReceiveAsync()
        {
            Exception? error = null;
            try
            {
                var buffer = new byte[16 * 1024];
                while (true)
                {
                    var n = await _socket.ReceiveAsync(buffer, SocketFlags.None);
                    if (n == 0) // the client's FIN: end of input, nothing more
                    {
                        await _input.Writer.WriteAsync(_rewriter.Flush());
                        break;
                    }
                    var flushed = await _input.Writer.WriteAsync(_rewriter.Process(buffer.AsSpan(0, n)));
                    if (flushed.IsCompleted || flushed.IsCanceled) break;
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                error = e is SocketException { SocketErrorCode: SocketError.ConnectionReset } ? new ConnectionResetException(e.Message, e) : null;
                Close(); // a broken socket ends the connection both ways
            }
            await _input.Writer.CompleteAsync(error);
            _inputEnded.Cancel();
        }

        async Task SendAsync()
        {
            try
            {
                while (true)
                {
                    var result = await _output.Reader.ReadAsync();
                    foreach (var segment in result.Buffer)
                    {
                        var sent = await _socket.SendAsync(segment, SocketFlags.None);
                        Interlocked.Add(ref _sentBytes, sent);
                    }
                    _output.Reader.AdvanceTo(result.Buffer.End);
                    if (result.IsCompleted || result.IsCanceled) break;
                }
                _socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // the client is gone
            }
            await _output.Reader.CompleteAsync();
            Close();
        }

        void Close()
        {
            try
            {
                _closed.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        public override void Abort(ConnectionAbortedException abortReason)
        {
            _output.Reader.CancelPendingRead();
            _socket.Dispose();
            Close();
        }

        public override async ValueTask DisposeAsync()
        {
            await _output.Writer.CompleteAsync();
            await _sending;
            _socket.Dispose();
            await _receiving;
            await _input.Reader.CompleteAsync();
            _closed.Dispose();
        }

        sealed class IdFeature : IConnectionIdFeature
        {
            public required string ConnectionId { get; set; }
        }

        sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
        {
            public PipeReader Input => input;
            public PipeWriter Output => output;
        }
    }
}
