using Amazon.CDK;
using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.CloudFront;
using Amazon.CDK.AWS.CloudFront.Origins;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Constructs;

namespace IncidentOps.Deploy.Stacks;

/// <summary>
/// The way in: an internet-facing ALB that answers only requests carrying CloudFront's secret header, and CloudFront in
/// front of it serving the web app and routing <c>/api/*</c> to the API and <c>/hubs/*</c> to the hub, so the browser sees one origin
/// (no CORS, one cookie domain, WebSockets through).
/// </summary>
public sealed class EdgeStack : Stack
{
    public const string OriginVerifyHeader = "X-Origin-Verify";

    /// <summary>SignalR's long polling holds a request up to 90 s; WebSockets send a keep-alive every 15 s.</summary>
    public static readonly Duration IdleTimeout = Duration.Seconds(120);

    public ApplicationLoadBalancer LoadBalancer { get; }

    public ApplicationListener Listener { get; }

    public Distribution Distribution { get; }

    /// <summary>The browser-facing URL.</summary>
    public string PublicUrl { get; }

    public EdgeStack(Construct scope, string id, DeploySettings settings, NetworkStack network, SecretsStack secrets, IStackProps props)
        : base(scope, id, props)
    {
        LoadBalancer = new ApplicationLoadBalancer(this, "Alb", new ApplicationLoadBalancerProps
        {
            Vpc = network.Vpc,
            InternetFacing = true,
            VpcSubnets = new SubnetSelection { SubnetType = SubnetType.PUBLIC },
            IdleTimeout = IdleTimeout,
            DropInvalidHeaderFields = true,
            Http2Enabled = true,
        });

        var deny = ListenerAction.FixedResponse(403, new FixedResponseOptions { ContentType = "text/plain", MessageBody = "Use the CloudFront address." });
        if (settings.HasDomain)
        {
            Listener = LoadBalancer.AddListener("Https", new BaseApplicationListenerProps
            {
                Port = 443,
                Protocol = ApplicationProtocol.HTTPS,
                Certificates = [ListenerCertificate.FromArn(settings.CertificateArn!)],
                SslPolicy = SslPolicy.RECOMMENDED_TLS,
                DefaultAction = deny,
            });
            LoadBalancer.AddRedirect(new ApplicationLoadBalancerRedirectConfig { SourcePort = 80, TargetPort = 443 });
        }
        else
        {
            // No certificate for the ALB's own name: CloudFront terminates TLS for the browser and reaches the ALB over HTTP.
            Listener = LoadBalancer.AddListener("Http", new BaseApplicationListenerProps
            {
                Port = 80,
                Protocol = ApplicationProtocol.HTTP,
                DefaultAction = deny,
            });
        }

        var origin = new HttpOrigin(settings.HasDomain ? settings.DomainName! : LoadBalancer.LoadBalancerDnsName, new HttpOriginProps
        {
            ProtocolPolicy = settings.HasDomain ? OriginProtocolPolicy.HTTPS_ONLY : OriginProtocolPolicy.HTTP_ONLY,
            ReadTimeout = Duration.Seconds(60),
            KeepaliveTimeout = Duration.Seconds(60),
            CustomHeaders = new Dictionary<string, string> { [OriginVerifyHeader] = secrets.OriginVerify.SecretValue.UnsafeUnwrap() },
        });

        var dynamic = new BehaviorOptions
        {
            Origin = origin,
            ViewerProtocolPolicy = ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            AllowedMethods = AllowedMethods.ALLOW_ALL,
            CachePolicy = CachePolicy.CACHING_DISABLED,
            // Every header (WebSocket upgrade, Authorization, cookies) but Host, which must stay the origin's.
            OriginRequestPolicy = OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
            Compress = true,
        };
        var cloudFrontCertificate = settings.CloudFrontCertificateArn is { } arn ? Certificate.FromCertificateArn(this, "CloudFrontCertificate", arn) : null;
        Distribution = new Distribution(this, "Cdn", new DistributionProps
        {
            Comment = "IncidentOps: web app, /api and /hubs on one origin",
            DefaultBehavior = dynamic,
            AdditionalBehaviors = new Dictionary<string, IBehaviorOptions>
            {
                // Order matters: the web app's sign-in routes before the API's /api/*.
                ["/api/auth/*"] = dynamic,
                ["/api/*"] = dynamic,
                ["/hubs/*"] = dynamic,
                ["/_next/static/*"] = new BehaviorOptions
                {
                    Origin = origin,
                    ViewerProtocolPolicy = ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                    CachePolicy = CachePolicy.CACHING_OPTIMIZED,
                    Compress = true,
                },
            },
            Certificate = cloudFrontCertificate,
            DomainNames = cloudFrontCertificate is null || settings.CloudFrontDomainName is null ? null : [settings.CloudFrontDomainName],
            PriceClass = PriceClass.PRICE_CLASS_100,
            HttpVersion = HttpVersion.HTTP2_AND_3,
            MinimumProtocolVersion = SecurityPolicyProtocol.TLS_V1_2_2021,
        });

        PublicUrl = settings.CloudFrontDomainName is { } name && cloudFrontCertificate is not null
            ? $"https://{name}"
            : $"https://{Distribution.DistributionDomainName}";

        new CfnOutput(this, "PublicUrl", new CfnOutputProps { Value = PublicUrl, Description = "Open this in a browser" });
        new CfnOutput(this, "AlbDnsName", new CfnOutputProps { Value = LoadBalancer.LoadBalancerDnsName });
        new CfnOutput(this, "AlbScheme", new CfnOutputProps { Value = settings.HasDomain ? "https" : "http" });
        new CfnOutput(this, "OriginVerifySecretArn", new CfnOutputProps { Value = secrets.OriginVerify.SecretArn });
    }
}
