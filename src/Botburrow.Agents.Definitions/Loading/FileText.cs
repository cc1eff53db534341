using System.Globalization;
using System.Text;
using Botburrow.Agents.Definitions.Validation;

namespace Botburrow.Agents.Definitions.Loading;

/// <summary>Turns a definition file's bytes into text: at most 1 MiB, valid UTF-8 (a BOM is allowed).</summary>
internal static class FileText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string? Decode(ReadOnlySpan<byte> bytes, ProblemCollector problems)
    {
        if (bytes.Length > AgentDefinitionParser.MaxFileBytes)
        {
            problems.Add(1, null, "", string.Create(CultureInfo.InvariantCulture, $"the file is larger than 1 MiB; the limit is {AgentDefinitionParser.MaxFileBytes} bytes"));
            return null;
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            var index = Math.Clamp(ex.Index, 0, bytes.Length);
            var before = bytes[..index];
            var line = before.Count((byte)'\n') + 1;
            var column = index - (before.LastIndexOf((byte)'\n') + 1) + 1;
            problems.Add(line, column, "", string.Create(CultureInfo.InvariantCulture, $"the file is not valid UTF-8 (invalid byte 0x{bytes[index < bytes.Length ? index : bytes.Length - 1]:X2}); save it as UTF-8"));
            return null;
        }
    }

    public static bool IsBlank(string text) => string.IsNullOrWhiteSpace(text);
}
