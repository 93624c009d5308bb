using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.SecretsManager;
using Constructs;
using MemoryDb = Amazon.CDK.AWS.MemoryDB;
using ElastiCache = Amazon.CDK.AWS.ElastiCache;

namespace IncidentOps.Deploy.Stacks;

/// <summary>
/// Redis: MemoryDB (durable, multi-AZ, TLS, an ACL user) by default, or ElastiCache (one replica, TLS, AUTH token);
/// encrypted at rest with a customer key, daily snapshots. Its credentials and connection string live in Secrets Manager.
/// </summary>
public sealed class DataStack : Stack
{
    public const int RedisPort = 6379;
    public const string RedisUser = "incidentops";

    /// <summary>Redis's security group: each service that uses Redis is let in by its own group.</summary>
    public ISecurityGroup RedisGroup { get; }

    /// <summary>The connection string StackExchange.Redis takes, credentials included.</summary>
    public ISecret RedisConnection { get; }

    /// <summary>The MemoryDB cluster name or the ElastiCache replication group id (the alarms' dimension).</summary>
    public string RedisName { get; }

    public DataStack(Construct scope, string id, DeploySettings settings, NetworkStack network, IStackProps props) : base(scope, id, props)
    {
        var removal = settings.RetainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
        var subnets = network.Vpc.SelectSubnets(network.TaskSubnets).SubnetIds;

        var redisGroup = new SecurityGroup(this, "Redis", new SecurityGroupProps
        {
            Vpc = network.Vpc,
            Description = "Redis: TLS from the IncidentOps tasks that use it (rules added by the compute stack)",
            AllowAllOutbound = false,
        });
        RedisGroup = redisGroup;

        var key = new Key(this, "RedisKey", new KeyProps
        {
            Description = "IncidentOps Redis encryption at rest",
            EnableKeyRotation = true,
            RemovalPolicy = removal,
        });

        var password = new Secret(this, "RedisPassword", new SecretProps
        {
            Description = "IncidentOps Redis user and password",
            GenerateSecretString = new SecretStringGenerator
            {
                SecretStringTemplate = $"{{\"username\":\"{RedisUser}\"}}",
                GenerateStringKey = "password",
                ExcludePunctuation = true,
                PasswordLength = 32,
            },
            RemovalPolicy = removal,
        });
        var passwordValue = password.SecretValueFromJson("password").UnsafeUnwrap();

        string host, port, credentials;
        if (settings.RedisEngine == RedisEngine.MemoryDb)
        {
            var user = new MemoryDb.CfnUser(this, "RedisAclUser", new MemoryDb.CfnUserProps
            {
                UserName = RedisUser,
                // Everything the event log needs; never wiping the data.
                AccessString = "on ~* &* +@all -flushall -flushdb",
                AuthenticationMode = new Dictionary<string, object> { ["Type"] = "password", ["Passwords"] = new[] { passwordValue } },
            });
            var acl = new MemoryDb.CfnACL(this, "RedisAcl", new MemoryDb.CfnACLProps { AclName = "incidentops", UserNames = [RedisUser] });
            acl.AddDependency(user);
            var subnetGroup = new MemoryDb.CfnSubnetGroup(this, "RedisSubnets", new MemoryDb.CfnSubnetGroupProps
            {
                SubnetGroupName = "incidentops",
                SubnetIds = subnets,
            });
            var cluster = new MemoryDb.CfnCluster(this, "RedisCluster", new MemoryDb.CfnClusterProps
            {
                ClusterName = "incidentops",
                NodeType = settings.RedisNodeTypeOrDefault,
                AclName = acl.AclName,
                NumShards = 1,
                NumReplicasPerShard = 1,
                TlsEnabled = true,
                KmsKeyId = key.KeyArn,
                SubnetGroupName = subnetGroup.SubnetGroupName,
                SecurityGroupIds = [redisGroup.SecurityGroupId],
                SnapshotRetentionLimit = settings.RedisSnapshotRetentionDays,
                EngineVersion = "7.1",
                Port = RedisPort,
                AutoMinorVersionUpgrade = true,
            });
            cluster.AddDependency(acl);
            cluster.AddDependency(subnetGroup);
            cluster.ApplyRemovalPolicy(removal);
            host = cluster.AttrClusterEndpointAddress;
            port = Token.AsString(cluster.AttrClusterEndpointPort);
            credentials = $",user={RedisUser},password=";
            RedisName = cluster.ClusterName;

            // MemoryDB is always cluster mode: a script or MULTI may touch one hash slot only. Every IncidentOps key
            // carries the hash tag {io} (RedisKeys), so all of them live in one slot, on one shard.
        }
        else
        {
            var subnetGroup = new ElastiCache.CfnSubnetGroup(this, "RedisSubnets", new ElastiCache.CfnSubnetGroupProps
            {
                Description = "IncidentOps Redis",
                SubnetIds = subnets,
            });
            var group = new ElastiCache.CfnReplicationGroup(this, "RedisReplicationGroup", new ElastiCache.CfnReplicationGroupProps
            {
                ReplicationGroupId = "incidentops",
                ReplicationGroupDescription = "IncidentOps event log and state",
                Engine = "redis",
                EngineVersion = "7.1",
                CacheNodeType = settings.RedisNodeTypeOrDefault,
                NumCacheClusters = 2,
                AutomaticFailoverEnabled = true,
                MultiAzEnabled = true,
                TransitEncryptionEnabled = true,
                AtRestEncryptionEnabled = true,
                KmsKeyId = key.KeyArn,
                AuthToken = passwordValue,
                CacheSubnetGroupName = subnetGroup.Ref,
                SecurityGroupIds = [redisGroup.SecurityGroupId],
                SnapshotRetentionLimit = settings.RedisSnapshotRetentionDays,
                Port = RedisPort,
                CacheParameterGroupName = "default.redis7",
            });
            group.ApplyRemovalPolicy(settings.RetainData ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY);
            host = group.AttrPrimaryEndPointAddress;
            port = group.AttrPrimaryEndPointPort;
            credentials = ",password=";
            RedisName = "incidentops";
        }

        RedisConnection = new Secret(this, "RedisConnectionString", new SecretProps
        {
            Description = "IncidentOps ConnectionStrings__redis (StackExchange.Redis format, TLS, credentials)",
            SecretStringValue = SecretValue.UnsafePlainText(Fn.Join(string.Empty,
                [host, ":", port, ",ssl=true,abortConnect=false", credentials, passwordValue])),
            RemovalPolicy = removal,
        });
    }
}
