using IncidentOps.Core.Storage;

namespace IncidentOps.Core.Tests;

public class StreamIdTests
{
    [Theory]
    [InlineData("999-0", "1000-0")]
    [InlineData("1000-9", "1000-10")]
    [InlineData("1795644843201-0", "1795644843201-1")]
    public void Ids_compare_as_numbers_not_strings(string lower, string higher)
    {
        Assert.True(StreamId.Parse(lower) < StreamId.Parse(higher));
        Assert.True(StreamId.Parse(higher) > StreamId.Parse(lower));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("12-x")]
    [InlineData("-1-0")]
    [InlineData("")]
    public void Malformed_ids_do_not_parse(string text) => Assert.False(StreamId.TryParse(text, out _));

    [Fact]
    public void An_id_without_sequence_means_sequence_zero() => Assert.Equal(new StreamId(42, 0), StreamId.Parse("42"));
}
