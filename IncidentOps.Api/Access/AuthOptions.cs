using Microsoft.Extensions.Options;

namespace IncidentOps.Api.Access;

/// <summary>
/// Sign-in (<c>Auth:*</c>): the OpenID Connect issuer whose access tokens the API accepts. Locally the AppHost's
/// development provider (IncidentOps.Identity); in AWS a Cognito user pool; any OIDC issuer works.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Where the development provider listens when the AppHost starts it (and the default in Development).</summary>
    public static readonly string DevelopmentAuthority = $"http://localhost:{IncidentOps.Core.ResourceNames.IdentityPort}/";

    /// <summary>The issuer, e.g. <c>https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc</c>. Required outside Development.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience access tokens must carry (<c>aud</c>).</summary>
    public string Audience { get; set; } = "incidentops-api";

    /// <summary>
    /// The web app's client id. Cognito access tokens carry no <c>aud</c>, only <c>client_id</c>: a token whose
    /// <c>client_id</c> is this is accepted as for the API.
    /// </summary>
    public string? ClientId { get; set; }

    /// <summary>The claim that holds the roles: <c>role</c> (the development provider), <c>cognito:groups</c> (Cognito).</summary>
    public string RoleClaim { get; set; } = "role";

    /// <summary>Https for the issuer's metadata; only a local development provider may be plain http.</summary>
    public bool? RequireHttpsMetadata { get; set; }

    public string EffectiveAuthority(bool isDevelopment) =>
        string.IsNullOrWhiteSpace(Authority) && isDevelopment ? DevelopmentAuthority : Authority ?? string.Empty;
}

/// <summary>Outside Development the API refuses to start without an issuer to check people's tokens against.</summary>
public sealed class AuthOptionsValidation(IHostEnvironment environment) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var authority = options.EffectiveAuthority(environment.IsDevelopment());
        if (string.IsNullOrWhiteSpace(authority))
        {
            return ValidateOptionsResult.Fail("Auth:Authority is not set: outside Development the API needs the OpenID Connect issuer that signs people in (e.g. the Cognito user pool's issuer URL).");
        }

        if (!Uri.TryCreate(authority, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return ValidateOptionsResult.Fail($"Auth:Authority '{authority}' is not an absolute http(s) URL.");
        }

        if (string.IsNullOrWhiteSpace(options.Audience) || string.IsNullOrWhiteSpace(options.RoleClaim))
        {
            return ValidateOptionsResult.Fail("Auth:Audience and Auth:RoleClaim must not be empty.");
        }

        return ValidateOptionsResult.Success;
    }
}
