using System.Globalization;
using System.Net;

namespace Botburrow.Cli.Tests.Exposure;

/// <summary>The addresses the kernel says a TCP port is listening on, read from <c>/proc/net/tcp</c> and <c>tcp6</c>.</summary>
internal static class ListeningSockets
{
    private const string Listen = "0A";

    public static IReadOnlyList<IPAddress> AddressesOf(int port)
    {
        var addresses = new List<IPAddress>();
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(file))
            {
                continue;
            }

            foreach (var line in File.ReadLines(file).Skip(1))
            {
                // "  0: 0100007F:1F90 00000000:0000 0A …": local address:port, remote, state.
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 4 || fields[3] != Listen)
                {
                    continue;
                }

                var local = fields[1].Split(':');
                if (int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port)
                {
                    addresses.Add(Parse(local[0]));
                }
            }
        }

        if (addresses.Count == 0 && !File.Exists("/proc/net/tcp"))
        {
            throw new InvalidOperationException("/proc/net/tcp is missing: these tests read listening sockets from Linux's /proc");
        }

        return addresses;
    }

    /// <summary>The kernel prints each 32-bit word of the address in host (little-endian) byte order.</summary>
    private static IPAddress Parse(string hex)
    {
        var bytes = new byte[hex.Length / 2];
        for (var word = 0; word < hex.Length / 8; word++)
        {
            var value = uint.Parse(hex.AsSpan(word * 8, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            BitConverter.TryWriteBytes(bytes.AsSpan(word * 4, 4), value);
        }

        return new IPAddress(bytes);
    }
}
