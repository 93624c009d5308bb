using Amazon.CDK;
using Amazon.CDK.AWS.Cognito;
using Constructs;

namespace IncidentOps.Deploy.Stacks;

/// <summary>
/// Cognito: the user pool people sign in to, one group per role, and the web app's client (authorization code with
/// PKCE, no client secret). The services receive its issuer and client id as Auth__Authority, Auth__ClientId and
/// Auth__Audience.
/// </summary>
public sealed class IdentityStack : Stack
{
    /// <summary>The roles of DESIGN.md's Security section, as Cognito groups (the <c>cognito:groups</c> claim).</summary>
    public static readonly IReadOnlyList<string> Roles = ["viewer", "responder", "approver", "admin"];

    /// <summary>next-auth's callback route for a provider with id <c>cognito</c>.</summary>
    public const string CallbackPath = "/api/auth/callback/cognito";

    public UserPool Pool { get; }

    public UserPoolClient WebClient { get; }

    public string Authority { get; }

    public IdentityStack(Construct scope, string id, DeploySettings settings, EdgeStack edge, IStackProps props) : base(scope, id, props)
    {
        Pool = new UserPool(this, "Users", new UserPoolProps
        {
            UserPoolName = "incidentops",
            SelfSignUpEnabled = false,
            SignInAliases = new SignInAliases { Email = true },
            AutoVerify = new AutoVerifiedAttrs { Email = true },
            Mfa = Mfa.OPTIONAL,
            MfaSecondFactor = new MfaSecondFactor { Otp = true, Sms = false },
            PasswordPolicy = new PasswordPolicy { MinLength = 12, RequireDigits = true, RequireLowercase = true, RequireUppercase = true, RequireSymbols = false },
            AccountRecovery = AccountRecovery.EMAIL_ONLY,
            RemovalPolicy = settings.RetainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        });

        for (var i = 0; i < Roles.Count; i++)
        {
            new CfnUserPoolGroup(this, $"Group{Roles[i]}", new CfnUserPoolGroupProps
            {
                UserPoolId = Pool.UserPoolId,
                GroupName = Roles[i],
                Description = $"IncidentOps {Roles[i]}",
                // Lower number wins when a person is in several groups: the strongest role first.
                Precedence = Roles.Count - i,
            });
        }

        Pool.AddDomain("HostedUi", new UserPoolDomainOptions
        {
            CognitoDomain = new CognitoDomainOptions { DomainPrefix = settings.AuthDomainPrefix },
        });

        WebClient = Pool.AddClient("Web", new UserPoolClientOptions
        {
            UserPoolClientName = "incidentops-web",
            GenerateSecret = false,
            AuthFlows = new AuthFlow { UserSrp = true },
            PreventUserExistenceErrors = true,
            SupportedIdentityProviders = [UserPoolClientIdentityProvider.COGNITO],
            OAuth = new OAuthSettings
            {
                Flows = new OAuthFlows { AuthorizationCodeGrant = true, ImplicitCodeGrant = false },
                Scopes = [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
                CallbackUrls = [edge.PublicUrl + CallbackPath],
                LogoutUrls = [edge.PublicUrl + "/"],
            },
            AccessTokenValidity = Duration.Hours(1),
            IdTokenValidity = Duration.Hours(1),
            RefreshTokenValidity = Duration.Days(30),
        });

        Authority = $"https://cognito-idp.{Aws.REGION}.amazonaws.com/{Pool.UserPoolId}";
        new CfnOutput(this, "UserPoolId", new CfnOutputProps { Value = Pool.UserPoolId });
        new CfnOutput(this, "WebClientId", new CfnOutputProps { Value = WebClient.UserPoolClientId });
        new CfnOutput(this, "AuthAuthority", new CfnOutputProps { Value = Authority });
    }
}
