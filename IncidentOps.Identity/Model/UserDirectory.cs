using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace IncidentOps.Identity.Model;

/// <summary>The people of <see cref="SignInOptions"/>; passwords are compared as SHA-256 digests in constant time.</summary>
public sealed class UserDirectory(IOptions<SignInOptions> options)
{
    public SignInUser? Find(string? username) =>
        username is null ? null : options.Value.EffectiveUsers.FirstOrDefault(u => string.Equals(u.Username, username, StringComparison.OrdinalIgnoreCase));

    public SignInUser? Check(string? username, string? password)
    {
        var user = Find(username);
        // Compare even for an unknown user, so the time taken does not tell which usernames exist.
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(user?.Password ?? "\0no-such-user"));
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(password ?? string.Empty));
        return CryptographicOperations.FixedTimeEquals(expected, presented) && user is not null ? user : null;
    }
}
