using IncidentOps.Agents.Actions;

namespace IncidentOps.Agents.Tests;

/// <summary>A curl that sends, uploads, writes a file or reads a config is a change: it waits for a person.</summary>
public class CurlPolicyTests
{
    private const string Url = "https://checkout.internal/health";

    public static TheoryData<string> NotReadOnly =>
    [
        $"curl -s -d@/etc/passwd {Url}",
        $"curl -d @secrets.json {Url}",
        $"curl -d 'a=1' {Url}",
        $"curl {Url} -d@file",
        $"curl --data x {Url}",
        $"curl --data=@file {Url}",
        $"curl --data-binary @dump {Url}",
        $"curl --data-urlencode q=1 {Url}",
        $"curl --data-raw x {Url}",
        $"curl -F file=@/var/log/app.log {Url}",
        $"curl --form a=b {Url}",
        $"curl -T backup.tar {Url}",
        $"curl --upload-file backup.tar {Url}",
        $"curl --json '{{\"a\":1}}' {Url}",
        $"curl -o /etc/cron.d/x {Url}",
        $"curl --output /tmp/x {Url}",
        $"curl -O {Url}",
        $"curl --remote-name {Url}",
        $"curl -K /tmp/evil.cfg {Url}",
        $"curl --config /tmp/evil.cfg {Url}",
        $"curl -X POST {Url}",
        $"curl -XPOST {Url}",
        $"curl -X PUT {Url}",
        $"curl -X DELETE {Url}",
        $"curl --request POST {Url}",
        $"curl --request=PUT {Url}",
        $"curl -sd x {Url}",
        $"curl -sSd@file {Url}",
        $"curl -sO {Url}",
        $"curl -sT file {Url}",
        $"curl -sXPOST {Url}",
        $"curl -H @headers.txt {Url}",
        $"curl \"-d@file\" {Url}",
        $"curl -\"d\"@file {Url}",
        $"curl file:///etc/passwd",
        $"curl {Url} /etc/passwd",
        "curl -s",
    ];

    public static TheoryData<string> ReadOnly =>
    [
        $"curl {Url}",
        $"curl -s {Url}",
        $"curl -sSfL {Url}",
        $"curl -X GET {Url}",
        $"curl -XGET {Url}",
        $"curl --request GET {Url}",
        $"curl -sI {Url}",
        $"curl -s -H 'Accept: application/json' --max-time 5 {Url}",
        $"curl -sm 5 {Url}",
    ];

    [Theory]
    [MemberData(nameof(NotReadOnly))]
    public void A_curl_that_sends_uploads_writes_or_reads_a_config_needs_approval(string command)
    {
        Assert.False(ActionPolicy.IsReadOnlyCommand(command), command);
        Assert.True(ActionPolicy.Explain("Check the endpoint", command).ApprovalRequired, command);
    }

    [Theory]
    [MemberData(nameof(ReadOnly))]
    public void A_curl_that_only_fetches_stays_read_only(string command) =>
        Assert.True(ActionPolicy.IsReadOnlyCommand(command), command);

    /// <summary>Property: every sending option, in every spelling curl accepts, makes the command a change.</summary>
    [Fact]
    public void Every_spelling_of_a_sending_option_needs_approval()
    {
        string[] shortFlags = ["d", "F", "T", "o", "O", "K", "e", "u", "b", "c"];
        string[] longFlags = ["--data", "--data-binary", "--data-ascii", "--form", "--form-string", "--upload-file", "--json", "--output", "--config", "--cookie-jar", "--url"];
        var spellings = shortFlags.SelectMany(f => new[] { $"-{f} x", $"-{f}x", $"-{f}@x", $"-s{f} x", $"-sS{f}@x", $"'-{f}' x" })
            .Concat(longFlags.SelectMany(f => new[] { $"{f} x", $"{f}=x", $"{f}=@x", $"\"{f}\" @x" }));

        foreach (var spelling in spellings)
        {
            Assert.False(ActionPolicy.IsReadOnlyCommand($"curl {spelling} {Url}"), spelling);
            Assert.False(ActionPolicy.IsReadOnlyCommand($"curl {Url} {spelling}"), spelling);
        }
    }
}
