using System.Security.Cryptography;
using System.Text;
using Lab.Web.Hosting;
using Microsoft.Extensions.Options;

namespace Lab.Web.Setup;

/// <summary>The one-time secret of the admin setup link. Only its SHA-256 is stored (LAB_DATA/admin-setup.sha256,
/// mode 0600), so reading the data dir does not give the link away; using it deletes the file.</summary>
public sealed class AdminSetupToken(IOptions<LabOptions> lab)
{
    private readonly Lock gate = new();

    private string FilePath => Path.Combine(lab.Value.DataDir, "admin-setup.sha256");

    /// <summary>A new token; any earlier link stops working.</summary>
    public string Issue()
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        lock (gate)
        {
            var temp = FilePath + ".tmp";
            File.WriteAllText(temp, Hash(token));
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.Move(temp, FilePath, overwrite: true);
        }

        return token;
    }

    public bool IsValid(string? token)
    {
        lock (gate)
        {
            return Matches(token);
        }
    }

    /// <summary>Runs <paramref name="use"/> if the token is valid and then invalidates it; false if it was not
    /// valid. Two people racing with the same link: one wins, the other is refused.</summary>
    public async Task<bool> ConsumeAsync(string? token, Func<Task<bool>> use)
    {
        await consume.WaitAsync();
        try
        {
            if (!IsValid(token) || !await use())
            {
                return false;
            }

            Revoke();
            return true;
        }
        finally
        {
            consume.Release();
        }
    }

    public void Revoke()
    {
        lock (gate)
        {
            File.Delete(FilePath);
        }
    }

    private readonly SemaphoreSlim consume = new(1, 1);

    private bool Matches(string? token)
    {
        if (string.IsNullOrEmpty(token) || !File.Exists(FilePath))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(File.ReadAllText(FilePath).Trim());
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(Hash(token)));
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
