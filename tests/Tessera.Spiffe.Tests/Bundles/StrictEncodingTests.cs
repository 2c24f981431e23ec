using Tessera.Spiffe.Bundles.Internal;

namespace Tessera.Spiffe.Tests.Bundles;

/// <summary>The strict base64url and duplicate-name-rejecting JSON helpers.</summary>
public sealed class StrictEncodingTests
{
    [Theory]
    [InlineData("", new byte[0])]
    [InlineData("AA", new byte[] { 0 })]
    [InlineData("AAA", new byte[] { 0, 0 })]
    [InlineData("-_8", new byte[] { 0xfb, 0xff })]
    public void TryDecode_Canonical_Decodes(string text, byte[] expected)
    {
        Assert.True(Base64UrlStrict.TryDecode(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("A")]
    [InlineData("AA==")]
    [InlineData("AB")]
    [InlineData("AAB")]
    [InlineData("A A")]
    [InlineData("+/8")]
    [InlineData("AA\n")]
    [InlineData("ÄA")]
    public void TryDecode_NotCanonicalUnpadded_False(string text) => Assert.False(Base64UrlStrict.TryDecode(text, out _));

    [Fact]
    public void Parse_SameNameInSiblingObjects_Accepted()
    {
        using var doc = StrictJson.Parse("[{\"a\":1},{\"a\":2},{\"b\":{\"a\":3}}]"u8, "test");

        Assert.Equal(3, doc.RootElement.GetArrayLength());
    }

    [Fact]
    public void Parse_DuplicateInNestedObject_FormatException() =>
        Assert.Equal("test repeats the member name 'a' in one object", Assert.Throws<FormatException>(() => StrictJson.Parse("{\"x\":[{\"a\":1,\"b\":{},\"a\":2}]}"u8, "test")).Message);

    [Fact]
    public void Parse_TooDeep_FormatException() =>
        Assert.StartsWith("test is not valid JSON (", Assert.Throws<FormatException>(() => StrictJson.Parse(System.Text.Encoding.ASCII.GetBytes(new string('[', 100) + new string(']', 100)), "test")).Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_InvalidUtf8InIgnoredValue_FormatException() =>
        Assert.Equal("test is not valid JSON (it is not valid UTF-8)", Assert.Throws<FormatException>(() => StrictJson.Parse([.. "{\"x\":\""u8, 0xC3, 0x28, .. "\"}"u8], "test")).Message);

    [Theory]
    [InlineData("{\"x\":\"\\ud800\"}")]
    [InlineData("{\"\\udc00\":1}")]
    public void Parse_LoneSurrogateEscape_FormatException(string json) =>
        Assert.Equal("test is not valid JSON (a string holds an invalid escape sequence)", Assert.Throws<FormatException>(() => StrictJson.Parse(System.Text.Encoding.UTF8.GetBytes(json), "test")).Message);
}
