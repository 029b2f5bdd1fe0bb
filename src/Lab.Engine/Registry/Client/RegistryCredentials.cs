namespace Lab.Engine.Registry.Client;

/// <summary>A user name and either a password or an identity token (the refresh token a login got from the
/// registry's token endpoint, which the CLI keeps instead of the password) for a registry: what <c>docker
/// login</c> stores and the Engine API gets in X-Registry-Auth. They go to the registry's token endpoint, or
/// the password as Basic auth to a registry that asks for it, and nowhere else.</summary>
public sealed record RegistryCredentials(string Username, string Password, string? IdentityToken = null)
{
    public override string ToString() => $"RegistryCredentials {{ Username = {Username} }}"; // never a secret
}
