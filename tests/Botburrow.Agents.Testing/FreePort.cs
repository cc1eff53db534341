using System.Net;
using System.Net.Sockets;

namespace Botburrow.Agents.Testing;

/// <summary>Picks a free TCP port on the loopback address.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
