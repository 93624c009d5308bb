using Amazon.CDK;
using Amazon.CDK.AWS.Cognito;
using Amazon.CDK.AWS.SecretsManager;
using Constructs;

namespace IncidentOps.Deploy.Stacks;

/// <summary>
/// Cognito: the user pool people sign in to, one group per role, and the web app's client (authorization code with
/// PKCE; a confidential client, as next-auth runs on the server). Its secret goes to Secrets Manager for the web app.
/// The services receive its issuer and client id as Auth__Authority, Auth__ClientId and Auth__Audience.
/// </summary>
public sealed class IdentityStack : Stack
{
    /// <summary>The roles of DESIGN.md's Security section, as Cognito groups (the <c>cognito:groups</c> claim).</summary>
    public static readonly IReadOnlyList<string> Roles = ["viewer", "responder", "approver", "admin"];

    /// <summary>next-auth's callback route for the web app's provider (id <c>incidentops</c>, IncidentOps.Web/lib/auth.ts).</summary>
    public const string CallbackPath = "/api/auth/callback/incidentops";

    /// <summary>The claim Cognito puts the groups in.</summary>
    public const string RoleClaim = "cognito:groups";

    public UserPool Pool { get; }

    public UserPoolClient WebClient { get; }

    /// <summary>The web client's secret (AUTH_CLIENT_SECRET), copied from Cognito at deploy time.</summary>
    public ISecret WebClientSecret { get; }

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
            GenerateSecret = true,
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

        WebClientSecret = new Secret(this, "WebClientSecret", new SecretProps
        {
            Description = "IncidentOps web app's Cognito client secret (AUTH_CLIENT_SECRET)",
            SecretStringValue = WebClient.UserPoolClientSecret,
        });

        Authority = $"https://cognito-idp.{Aws.REGION}.amazonaws.com/{Pool.UserPoolId}";
        new CfnOutput(this, "UserPoolId", new CfnOutputProps { Value = Pool.UserPoolId });
        new CfnOutput(this, "WebClientId", new CfnOutputProps { Value = WebClient.UserPoolClientId });
        new CfnOutput(this, "AuthAuthority", new CfnOutputProps { Value = Authority });
    }
}
