namespace Botburrow.Deployment.Tests.Manifests;

internal static class ImageReference
{
    /// <summary>Splits <c>registry/name:tag</c> into name and tag (empty when there is none).</summary>
    public static (string Name, string Tag) Split(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return (image[..at], image[(at + 1)..]);
        }

        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon > slash ? (image[..colon], image[(colon + 1)..]) : (image, "");
    }
}
