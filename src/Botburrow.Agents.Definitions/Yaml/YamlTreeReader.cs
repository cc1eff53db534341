using Botburrow.Agents.Definitions.Validation;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Botburrow.Agents.Definitions.Yaml;

/// <summary>
/// Reads one YAML document into a tree that keeps every node's line and column. Syntax errors, duplicate keys,
/// non-string keys, unknown aliases and extra documents become problems instead of exceptions.
/// </summary>
internal static class YamlTreeReader
{
    /// <summary>Upper bound on the expanded size of a document (aliases counted each time they are used).</summary>
    private const int MaxExpandedNodes = 100_000;

    /// <summary>Deepest nesting accepted; keeps the recursive reader and validator far from the stack's limit.</summary>
    private const int MaxDepth = 64;

    public static YNode? Read(string text, ProblemCollector problems)
    {
        var parser = new Parser(new StringReader(text));
        var state = new State(problems);
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                return null;
            }

            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, state, "");
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _))
            {
                var extra = parser.Current!; // not at the end, so there is a current event
                problems.Add(Line(extra.Start), Column(extra.Start), "", "a second YAML document ('---') is not allowed; a file holds one definition");
                return null;
            }

            if (state.ExpandedNodes > MaxExpandedNodes)
            {
                problems.Add(1, 1, "", $"the document expands to more than {MaxExpandedNodes} nodes through aliases; write it out plainly");
                return null;
            }

            return root;
        }
        catch (YamlException ex)
        {
            var message = "YAML syntax error: " + CleanMessage(ex.Message);
            if (state.OpenFlow.Count > 0 && message.Contains("flow", StringComparison.OrdinalIgnoreCase))
            {
                var open = state.OpenFlow.Peek();
                message += $" (the '[' or '{{' opened on line {Line(open)}, column {Column(open)} is not closed)";
            }

            problems.Add(Line(ex.Start), Column(ex.Start), "", message);
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // The scanner fails this way on some truncated documents (e.g. an unclosed '[' at the end of the file).
            var at = state.OpenFlow.Count > 0 ? state.OpenFlow.Peek() : state.LastMark;
            var line = at is { } mark ? Line(mark) : 1;
            var column = at is { } m ? Column(m) : 1;
            problems.Add(line, column, "", $"YAML syntax error: the document ends inside an unclosed '[', '{{' or quote (opened on line {line}, column {column})");
            return null;
        }
    }

    private static YNode ReadNode(IParser parser, State state, string path)
    {
        if (++state.Depth > MaxDepth)
        {
            var at = parser.Current?.Start ?? Mark.Empty;
            throw new YamlException(at, at, $"the document is nested deeper than {MaxDepth} levels");
        }

        try
        {
            return ReadNodeAtDepth(parser, state, path);
        }
        finally
        {
            state.Depth--;
        }
    }

    private static YNode ReadNodeAtDepth(IParser parser, State state, string path)
    {
        state.ExpandedNodes++;
        state.LastMark = parser.Current?.Start ?? state.LastMark;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            var node = new YScalar(scalar.Value, scalar.Style, Line(scalar.Start), Column(scalar.Start));
            Remember(state, scalar.Anchor, node);
            return node;
        }

        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (state.Anchors.TryGetValue(alias.Value.Value, out var target))
            {
                state.ExpandedNodes += target.Size;
                return target.Node;
            }

            throw new YamlException(alias.Start, alias.End, $"the alias *{alias.Value.Value} refers to no anchor defined before it");
        }

        if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            var before = state.ExpandedNodes;
            var items = new List<YNode>();
            OpenFlow(state, sequenceStart.Style == SequenceStyle.Flow, sequenceStart.Start);
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                items.Add(ReadNode(parser, state, $"{path}[{items.Count}]"));
            }

            CloseFlow(state, sequenceStart.Style == SequenceStyle.Flow);

            var node = new YSequence(items, Line(sequenceStart.Start), Column(sequenceStart.Start));
            Remember(state, sequenceStart.Anchor, node, state.ExpandedNodes - before);
            return node;
        }

        var mappingStart = parser.Consume<MappingStart>();
        var start = state.ExpandedNodes;
        var entries = new List<YEntry>();
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        OpenFlow(state, mappingStart.Style == MappingStyle.Flow, mappingStart.Start);
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var keyNode = ReadNode(parser, state, path);
            var key = keyNode as YScalar;
            var childPath = key is null ? path : Join(path, key.Value);
            var value = ReadNode(parser, state, childPath);
            if (key is null)
            {
                state.Problems.Add(keyNode, path, $"a key must be a plain name, got {keyNode.Describe()}");
                continue;
            }

            if (firstLine.TryGetValue(key.Value, out var line))
            {
                state.Problems.Add(key, childPath, $"duplicate key (first defined on line {line}); each key may appear once");
                continue;
            }

            firstLine[key.Value] = key.Line;
            entries.Add(new YEntry(key, value));
        }

        CloseFlow(state, mappingStart.Style == MappingStyle.Flow);
        var mapping = new YMapping(entries, Line(mappingStart.Start), Column(mappingStart.Start));
        Remember(state, mappingStart.Anchor, mapping, state.ExpandedNodes - start);
        return mapping;
    }

    private static void OpenFlow(State state, bool flow, Mark start)
    {
        if (flow)
        {
            state.OpenFlow.Push(start);
        }
    }

    private static void CloseFlow(State state, bool flow)
    {
        if (flow)
        {
            state.OpenFlow.Pop();
        }
    }

    private static void Remember(State state, AnchorName anchor, YNode node, long size = 1)
    {
        if (!anchor.IsEmpty)
        {
            state.Anchors[anchor.Value] = (node, Math.Max(size, 1));
        }
    }

    public static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    private static int Line(Mark mark) => (int)Math.Max(1, mark.Line);

    private static int Column(Mark mark) => (int)Math.Max(1, mark.Column);

    private static string CleanMessage(string message)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line: 3, Col: 6, Idx: 21): "; the position is ours to print.
        var marker = message.IndexOf("): ", StringComparison.Ordinal);
        return (message.StartsWith("(Line:", StringComparison.Ordinal) && marker > 0 ? message[(marker + 3)..] : message).Trim();
    }

    private sealed class State(ProblemCollector problems)
    {
        public ProblemCollector Problems { get; } = problems;

        public Dictionary<string, (YNode Node, long Size)> Anchors { get; } = new(StringComparer.Ordinal);

        public long ExpandedNodes { get; set; }

        public Mark? LastMark { get; set; }

        public int Depth { get; set; }

        public Stack<Mark> OpenFlow { get; } = new();
    }
}
