using IncidentOps.Agents.Actions;

namespace IncidentOps.Agents.Tests;

public class WebhookAllowlistTests
{
    [Theory]
    [InlineData("https://automation.example.com/runbooks/rollback", "https://automation.example.com/runbooks/", true)]
    [InlineData("https://automation.example.com/runbooks", "https://automation.example.com/runbooks", true)]
    [InlineData("https://automation.example.com/", "https://automation.example.com", true)]
    [InlineData("https://automation.example.com.evil.io/runbooks/x", "https://automation.example.com", false)]
    [InlineData("https://automation.example.com/runbooks-evil/x", "https://automation.example.com/runbooks", false)]
    [InlineData("http://automation.example.com/runbooks/x", "https://automation.example.com/runbooks/", false)]
    [InlineData("https://automation.example.com:8443/runbooks/x", "https://automation.example.com/runbooks/", false)]
    [InlineData("https://user:pw@automation.example.com/runbooks/x", "https://automation.example.com/runbooks/", false)]
    [InlineData("file:///etc/passwd", "file:///etc/", false)]
    public void Only_urls_under_an_allowed_prefix_are_called(string url, string allowed, bool expected) =>
        Assert.Equal(expected, WebhookExecutor.IsUnder(new Uri(url), allowed));
}
