namespace Tessera.Policy.Formatting;

/// <summary>
/// A <c>//</c> comment read from Cedar text, with what the formatter needs to place it again: the tokens around
/// it and the blank lines on either side.
/// </summary>
/// <param name="Text">The comment from <c>//</c> to the end of its line, trailing white space removed.</param>
/// <param name="Order">Its position among the comments of the text, first is 0.</param>
/// <param name="NextToken">The index of the token after it; the token count when only the end of input follows.</param>
/// <param name="IsEndOfLine">Whether a token precedes it on its line (<c>permit( // why</c>), as opposed to a comment on a line of its own.</param>
/// <param name="BlankLineBefore">Whether an empty line separates it from the token or comment before it.</param>
internal sealed record SourceComment(string Text, int Order, int NextToken, bool IsEndOfLine, bool BlankLineBefore)
{
    /// <summary>The index of the token before it; -1 at the start of the text.</summary>
    public int PreviousToken => NextToken - 1;

    /// <summary>Whether an empty line separates it from the token or comment after it.</summary>
    public bool BlankLineAfter { get; set; }
}
