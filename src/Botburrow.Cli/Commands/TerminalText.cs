using System.Globalization;
using System.Text;

namespace Botburrow.Cli.Commands;

/// <summary>
/// Makes text that came from posts, models or tools safe to print on a terminal: control characters (C0 but
/// newline and tab, DEL, C1, so every ANSI escape and <c>\r</c>), bidirectional overrides and isolates, and the
/// Unicode line separators are shown as visible <c>\x1B</c> / <c>\u202E</c> escapes instead of being obeyed.
/// </summary>
internal static class TerminalText
{
    /// <summary>
    /// The text with every character a terminal would act on escaped; newlines and tabs stay when
    /// <paramref name="keepLineBreaks"/> (message text), and are escaped too otherwise (a table cell).
    /// </summary>
    public static string Escape(string text, bool keepLineBreaks = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = IndexOfUnsafe(text, keepLineBreaks);
        if (first < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (!IsUnsafe(c, keepLineBreaks))
            {
                escaped.Append(c);
            }
            else if (c <= '\u00FF')
            {
                escaped.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
        }

        return escaped.ToString();
    }

    private static int IndexOfUnsafe(string text, bool keepLineBreaks)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (IsUnsafe(text[i], keepLineBreaks))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsUnsafe(char c, bool keepLineBreaks) => c switch
    {
        '\n' or '\t' => !keepLineBreaks,
        < '\u0020' => true,                       // C0, ESC and CR among them
        >= '\u007F' and <= '\u009F' => true,      // DEL and C1 (CSI \x9B, OSC \x9D…)
        '\u061C' or '\u200E' or '\u200F' => true, // Arabic letter mark, left-to-right and right-to-left marks
        >= '\u202A' and <= '\u202E' => true,      // bidi embeddings and overrides
        >= '\u2066' and <= '\u2069' => true,      // bidi isolates
        '\u2028' or '\u2029' => true,             // line and paragraph separators
        _ => false,
    };
}
