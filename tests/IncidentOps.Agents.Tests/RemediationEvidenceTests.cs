using IncidentOps.Agents.Ai.Reasoning;
using IncidentOps.Agents.Phases.Diagnosis;
using IncidentOps.Agents.Phases.Resolution;

namespace IncidentOps.Agents.Tests;

/// <summary>
/// The first fix read from the incident's own words (organic or abusive traffic, a store that lost its quorum): what a
/// responder sees as the plan's first step and in the hypothesis' evidence.
/// </summary>
public sealed class RemediationEvidenceTests
{
    [Theory]
    [InlineData("traffic_spike", "RequestCount 6x baseline; campaign utm_source=tv_summer_sale; bot score high 1.2%", "scale_out")]
    [InlineData("traffic_spike", "top client ASN AS16276 OVH SAS sends 52% of requests", "rate_limit")]
    [InlineData("traffic_spike", "login attempts 40x normal from 3 IPs", "rate_limit")]
    [InlineData("network_partition", "Redis Sentinel: quorum lost, +sdown master", "failover")]
    [InlineData("traffic_spike", "Client shopsync-prod at 1,020 rps (contract 50 rps)", "rate_limit")]
    [InlineData("traffic_spike", "18,400 rps (baseline 3,000). Distinct users 5m: 612k. Top client: our own iOS app 98%", "scale_out")]
    [InlineData("network_partition", "Galera split-brain after the uplink went down; no failover yet", "failover")]
    [InlineData("network_partition", "etcd: lost quorum, 2 of 5 members reachable; apiserver read-only", "failover")]
    [InlineData("network_partition", "JetStream cluster stream 'APP > ORDERS' has NO quorum, stalled; nats-2 has 0 routes", "failover")]
    // The top client's share is a figure: a tiny share is a surge of many clients (customers) even where "top client" is said.
    [InlineData("traffic_spike", "request rate 4.1x weekly baseline; top client IP share 0.02%", "scale_out")]
    [InlineData("traffic_spike", "{\"RequestCount\": 186000, \"top client ip share\": 0.002, \"countries\": 31}", "scale_out")]
    [InlineData("traffic_spike", "request rate 9x; top client share 61% (ASN AS16276 OVH)", "rate_limit")]
    // The busiest caller's share in any word order (SourceShare): the caller before its figure, the figure before the
    // caller, a top-talker record; most of the requests from one caller is rate-limited, a sliver is many clients.
    [InlineData("traffic_spike", "ingest 7x; Top talker: tenant t-2207 at 92% of ingest requests", "rate_limit")]
    [InlineData("traffic_spike", "request rate 6x baseline; 88% of requests from key pk_live_42", "rate_limit")]
    [InlineData("traffic_spike", "{\n  \"tenant_id\": \"t-2207\",\n  \"share\": 0.92\n}", "rate_limit")]
    [InlineData("traffic_spike", "{\n  \"share_of_requests\": \"78%\",\n  \"asn\": \"AS209999\"\n}", "rate_limit")]
    [InlineData("traffic_spike", "5.1x baseline; top client IP < 0.1% of traffic", "scale_out")]
    [InlineData("traffic_spike", "190k distinct user_id in 10m; top user 0.01% of requests", "scale_out")]
    // ...but what the clients do outranks how many they are: a botnet spread over residential proxies is still abuse.
    [InlineData("traffic_spike", "LoginFailed events 97% of login attempts; distinct client IPs 38100; top Ip Share 0.002", "rate_limit")]
    // What the requests are outranks why customers might come: failed sign-ins and retries are rate-limited...
    [InlineData("traffic_spike", "Login failure ratio 87% at 3.9k rps; Black Friday sale traffic", "rate_limit")]
    [InlineData("traffic_spike", "Sentry: spike in BadCredentialsException on auth-service; events 281000 (normal 5200)", "rate_limit")]
    [InlineData("traffic_spike", "401 Unauthorized ratio 88% of REGISTER responses", "rate_limit")]
    [InlineData("traffic_spike", "requests per player per min: baseline 1.5, now 21.4; X-Retry-Attempt header p50=7, p99=118", "rate_limit")]
    // ...as is a surge from as many users as usual (the same clients ask more) or mostly from a few sources.
    [InlineData("traffic_spike", "GET /v1/feed 52k rps (7d avg 4.1k); active sessions: in line with a normal Tuesday", "rate_limit")]
    [InlineData("traffic_spike", "ingest 25x baseline; subscribers stable at 2.1M", "rate_limit")]
    [InlineData("traffic_spike", "request rate 5.1k/s (baseline 200/s): 96% from 37 IPs in one ASN", "rate_limit")]
    // Processes older than the change window leak what they held before any change read: restart, not roll back.
    [InlineData("memory_leak", "php-fpm pool www: average worker RSS 912 MB; oldest worker age 6d 3h", "restart")]
    [InlineData("memory_leak", "Working set by pod age: 6d9h 3.96Gi, 4d1h 2.7Gi, canary (35m) 0.61Gi", "restart")]
    [InlineData("memory_leak", "istio-proxy at 1.0GiB of its limit; grew ~140MiB/h since pod start 7h ago", "restart")]
    // A leak whose figures go back days (a baseline days ago) grew longer than any change read.
    [InlineData("memory_leak", "G1 Old Gen used after collection 3.81 GiB of 4 GiB. Old gen after-GC baseline 6 days ago: 1.1 GiB", "restart")]
    [InlineData("memory_leak", "{\"presence go goroutines\": {\"4d ago\": 1210, \"now\": 381400}}", "restart")]
    // A process out of its own handles holds what it leaked: a restart frees them, more replicas would not.
    [InlineData("resource_exhaustion", "carrier-gateway uses 4,091 of 4,096 file descriptors; jvm uptime 19d 4h", "restart")]
    [InlineData("resource_exhaustion", "Socket accept failed java.io.IOException: Too many open files", "restart")]
    [InlineData("resource_exhaustion", "OutOfMemoryError: unable to create new native thread", "restart")]
    public void The_first_fix_follows_what_the_incident_itself_says(string category, string text, string remediation) =>
        Assert.Equal(remediation, RemediationEvidence.For(category, text)?.Remediation);

    [Theory]
    [InlineData("traffic_spike", "request rate 5x normal")]
    [InlineData("network_partition", "cross-zone packet loss 40% between eu-west-1a and eu-west-1b")]
    [InlineData("disk_full", "campaign quorum")]
    // Many users asking as often as usual, or a surge spread over many sources, is customers: no abuse read.
    [InlineData("traffic_spike", "88k rps at 5.2x usual; requests per session normal")]
    [InlineData("traffic_spike", "request rate 6x; 92% of requests from 41,000 IPs")]
    [InlineData("traffic_spike", "checkout 4x baseline; login success ratio 97% (normal)")]
    // An app or its version is many users' software, not one caller; a bare majority may be the larger of two partners;
    // shares of other things (a campaign's, logged-in customers') are not a caller's.
    [InlineData("traffic_spike", "3810 rps; same hour last week 540. Top clients: our-app/8.x 71%, web 24%")]
    [InlineData("traffic_spike", "{\n  \"top_source_share\": \"Switch A 54%, Switch B 46%\"\n}")]
    [InlineData("traffic_spike", "{\n  \"utm_source_newsletter_share\": 0.71,\n  \"client_ip\": \"various\"\n}")]
    [InlineData("traffic_spike", "18,400 rps vs forecast 3,050; 92% of requests from logged-in customers")]
    // A store that did not fail over (healthy, "no failover") is not the partition's fix: route around the cut-off zone.
    [InlineData("network_partition", "Aurora orders-aurora healthy: writer CPU 22%, no failover, connections 640")]
    [InlineData("network_partition", "errors in one zone; a database failover would not help")]
    [InlineData("network_partition", "cross-zone loss; failover not triggered")]
    // A quorum kept, or a consistency level named QUORUM, is not a store that lost its quorum.
    [InlineData("network_partition", "All dc2 nodes DN from dc1's view; writes at EACH_QUORUM failing with UnavailableException")]
    [InlineData("network_partition", "consul raft leader on consul-server-0 (1a); cluster has quorum 2/3; clients in 1c time out")]
    // A leak that grows from a deploy an hour ago (processes younger than the change window) keeps the rollback rule.
    [InlineData("memory_leak", "Node.js heap used above 85% of heap limit; pods started 50m ago after the rollout")]
    [InlineData("memory_leak", "heap grows ~40 MiB/h; deriv(container_memory_working_set_bytes[6h])")]
    [InlineData("memory_leak", "+45MiB/min since the rollout; previous ReplicaSet flat at 780MiB for 5 days; heap 3h ago 0.8 GiB")]
    // Saturated pools, CPU or ports churned by a busy client are capacity: the standard fix (scale out) stands.
    [InlineData("resource_exhaustion", "HikariPool-1 - Connection is not available, request timed out after 30000ms; CPU 97%")]
    [InlineData("resource_exhaustion", "SNAT: no free ports; 61k sockets in TIME_WAIT")]
    public void Without_such_words_the_nearest_case_or_the_standard_fix_decides(string category, string text) =>
        Assert.Null(RemediationEvidence.For(category, text));

    /// <summary>
    /// A leak with a deploy of the service shortly before is rolled back, unless the leaking processes are older than the
    /// changes the diagnosis reads: then the deploy is a bystander and the first step is a restart.
    /// </summary>
    [Theory]
    [InlineData("Node.js heap used above 85% of heap limit; heap grows linearly", "rollback")]
    [InlineData("php-fpm pool www: average worker RSS 912 MB; oldest worker age 6d 3h", "restart")]
    [InlineData("old gen after-GC baseline 6 days ago: 1.1 GiB, rising ~450 MiB/day", "restart")]
    public void A_leak_after_a_deploy_is_rolled_back_unless_its_processes_are_older_than_the_deploy(string text, string first)
    {
        var said = RemediationEvidence.For("memory_leak", text) is var (_, why) ? [why] : Array.Empty<string>();
        var leak = new Hypothesis("memory_leak", "Leak", 0.9, ["alert mentions 'heap'", .. said]) { SuggestedRemediation = RemediationEvidence.For("memory_leak", text)?.Remediation };
        var diagnosis = new DiagnosisResult([leak], false, "s") { RecentChanges = ["deploy of image-admin: 'release 1.33.0' (ansible) 40 min before the first alert"] };

        Assert.Equal(first, RemediationChoice.For(diagnosis)[0].Id);
    }
}
