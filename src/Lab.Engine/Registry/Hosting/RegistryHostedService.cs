using Lab.Engine.Registry.Auth;
using Lab.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lab.Engine.Registry.Hosting;

/// <summary>Starts and stops the classroom registry with the server it runs in (`lab serve`). Accounts are the
/// server's: each check runs in a scope of the server's container (Identity's stores are scoped).</summary>
public sealed class RegistryHostedService(IServiceProvider server, RegistryOptions options) : IHostedService, IAsyncDisposable
{
    WebApplication? _registry;

    /// <summary>Where the registry listens once started, e.g. http://127.0.0.1:5000.</summary>
    public IReadOnlyList<Uri> Addresses => _registry is null ? [] : ClassroomRegistry.Addresses(_registry);

    public async Task StartAsync(CancellationToken ct)
    {
        var registry = ClassroomRegistry.Build(options, new ScopedAccounts(server.GetRequiredService<IServiceScopeFactory>()));
        try
        {
            await registry.StartAsync(ct);
        }
        catch (IOException e)
        {
            await registry.DisposeAsync();
            throw new LabException(ErrorKind.Unavailable,
                $"the classroom registry cannot listen on {options.Urls}: {e.Message} (set {RegistryOptions.UrlsVariable} to another address)", e);
        }
        _registry = registry;
    }

    public async Task StopAsync(CancellationToken ct)
    {
        if (_registry is { } registry) await registry.StopAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_registry is { } registry) await registry.DisposeAsync();
        _registry = null;
    }

    sealed class ScopedAccounts(IServiceScopeFactory scopes) : IRegistryAccounts
    {
        public async Task<RegistryUser?> VerifyAsync(string userName, string password, CancellationToken ct)
        {
            await using var scope = scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<IRegistryAccounts>().VerifyAsync(userName, password, ct);
        }

        public async Task<RegistryUser?> FindAsync(string userName, CancellationToken ct)
        {
            await using var scope = scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<IRegistryAccounts>().FindAsync(userName, ct);
        }

        public async Task<NamespaceOwner> FindOwnerAsync(string registryNamespace, CancellationToken ct)
        {
            await using var scope = scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<IRegistryAccounts>().FindOwnerAsync(registryNamespace, ct);
        }
    }
}
