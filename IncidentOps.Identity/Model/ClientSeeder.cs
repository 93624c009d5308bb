using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IncidentOps.Identity.Model;

/// <summary>Registers the two applications that may ask for tokens: the web app (code + PKCE, with a secret) and scripts (password grant).</summary>
public sealed class ClientSeeder(IServiceProvider services, IOptions<SignInOptions> options) : IHostedService
{
    private static readonly string[] Scopes = [Permissions.Scopes.Profile, Permissions.Scopes.Email, Permissions.Scopes.Roles, Permissions.Prefixes.Scope + SignInOptions.ApiAudience];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();

        var web = new OpenIddictApplicationDescriptor
        {
            ClientId = SignInOptions.WebClientId,
            ClientSecret = options.Value.WebClientSecret,
            ClientType = ClientTypes.Confidential,
            DisplayName = "IncidentOps dashboards",
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var origin in options.Value.WebOrigins)
        {
            var root = origin.TrimEnd('/');
            web.RedirectUris.Add(new Uri($"{root}/api/auth/callback/incidentops"));
            web.PostLogoutRedirectUris.Add(new Uri($"{root}/"));
        }

        var cli = new OpenIddictApplicationDescriptor
        {
            ClientId = SignInOptions.CliClientId,
            ClientType = ClientTypes.Public,
            DisplayName = "IncidentOps scripts (development)",
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.Password, Permissions.GrantTypes.RefreshToken },
        };

        foreach (var descriptor in new[] { web, cli })
        {
            descriptor.Permissions.UnionWith(Scopes);
            if (await manager.FindByClientIdAsync(descriptor.ClientId!, cancellationToken) is null)
            {
                await manager.CreateAsync(descriptor, cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
