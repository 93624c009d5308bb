using IncidentOps.Core.Access;
using Microsoft.Extensions.Options;

namespace IncidentOps.Identity.Model;

/// <summary>A user with an unknown role, or without a password, would fail at sign-in: fail at start instead.</summary>
public sealed class SignInOptionsValidation : IValidateOptions<SignInOptions>
{
    public ValidateOptionsResult Validate(string? name, SignInOptions options)
    {
        var problems = options.Users
            .Where(u => string.IsNullOrWhiteSpace(u.Username) || string.IsNullOrEmpty(u.Password) || !Roles.IsKnown(u.Role))
            .Select(u => $"Identity:Users: '{u.Username}' needs a username, a password and a role of {string.Join(", ", Roles.All)}.")
            .Concat(options.WebOrigins.Where(o => !Uri.TryCreate(o, UriKind.Absolute, out _)).Select(o => $"Identity:WebOrigins: '{o}' is not an absolute URL."))
            .ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
