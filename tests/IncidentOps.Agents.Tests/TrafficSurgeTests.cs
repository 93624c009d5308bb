using IncidentOps.Agents.Ai.Reasoning;

namespace IncidentOps.Agents.Tests;

/// <summary>
/// A surge read from figures, whatever the tool calls the rate: the request rate at twice its usual or more is what makes
/// saturation (a pool rejecting, an autoscaler at its maximum) its effect rather than the cause.
/// </summary>
public sealed class TrafficSurgeTests
{
    [Theory]
    [InlineData("Router throughput 26,900 rpm vs 6,480 rpm same time last week (4.1x); 2xx ratio 99.2%.")]
    [InlineData("ALB request count 412k/min (7.1x)")]
    [InlineData("9,400 rps on /search: requests 9,400 rps vs 780 rps baseline; 429 responses 0%.")]
    [InlineData("request rate 14,300 req/s (same hour last week 2,050 req/s)")]
    [InlineData("RCS message submit rate 5.3x normal busy hour")]
    [InlineData("requests per min: 410k (baseline 21k)")] // a rate per unit of time is the rate
    [InlineData("Requests per second 4.2x the same hour last week")]
    public void A_rate_at_twice_its_usual_or_more_is_a_surge(string text) =>
        Assert.NotNull(NumericEvidence.TrafficSurge(text));

    [Theory]
    [InlineData("request rate flat at 1,200 rps vs 1,150 rps last week")] // 1.04x: no surge
    [InlineData("5xx ratio 12%; error rate 4x the usual")] // errors, not requests
    [InlineData("sessions live: 1.2M (baseline 18k)")] // a stock that accumulates (a leak), not a rate
    [InlineData("Throughput 38.7 Gbit/s vs dimensioned 40 Gbit/s per instance")]
    [InlineData("Only 2 endpoints are serving traffic; per-pod request rate is 4.8x normal.")] // fewer pods, not more requests
    [InlineData("bidder CPU seconds per 1k requests up 4.1x")] // each request costs more
    [InlineData("In-flight requests per bidder 9x normal")] // answered slower, not arriving faster
    public void Figures_that_are_not_a_rate_twice_its_usual_are_not_a_surge(string text) =>
        Assert.Null(NumericEvidence.TrafficSurge(text));

    [Theory]
    [InlineData("Inbound QPS 312k, 7d same-hour baseline 305k.")]
    [InlineData("request rate 1,200 rps vs 1,150 rps last week")]
    [InlineData("requests per min: 21.4k (baseline 20.9k)")]
    public void A_rate_within_a_quarter_of_its_usual_is_flat_traffic(string text)
    {
        Assert.NotNull(NumericEvidence.TrafficFlat(text));
        Assert.Null(NumericEvidence.TrafficSurge(text));
    }

    [Theory]
    [InlineData("Inbound QPS 912k, 7d same-hour baseline 305k.")]
    [InlineData("requests per min: 410k (baseline 21k)")]
    [InlineData("5xx ratio 12%, error rate 1.1x usual")]
    public void A_rate_far_from_its_usual_or_not_a_rate_is_not_flat_traffic(string text) =>
        Assert.Null(NumericEvidence.TrafficFlat(text));
}
