// The executors run real child processes (bash fakes, process groups): Linux only, like the runner image.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
