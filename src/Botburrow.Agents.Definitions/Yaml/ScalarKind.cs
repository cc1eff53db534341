namespace Botburrow.Agents.Definitions.Yaml;

/// <summary>The type a scalar resolves to under the YAML 1.2 core schema (quoted scalars are always strings).</summary>
internal enum ScalarKind
{
    Null,
    Boolean,
    Integer,
    Float,
    String,
}
